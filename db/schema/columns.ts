import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every tenant-owned table starts with this column; it leads every index that serves a tenant query. */
export const organizationId = () => uuid('organization_id').notNull();

export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
