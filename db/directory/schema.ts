import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Global, CRM-data-free: where an organization lives, found by its slug. */
export const directoryOrganizations = pgTable('directory_organizations', {
  slug: text('slug').primaryKey(),
  organizationId: uuid('organization_id').notNull().unique(),
  region: text('region').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Global: which organization and region a login email belongs to, before any token exists. */
export const directoryLogins = pgTable('directory_logins', {
  email: text('email').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  userId: uuid('user_id').notNull(),
  region: text('region').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
