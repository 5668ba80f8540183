import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, organizationId, updatedAt } from './columns.ts';
import { leadStatuses } from './lead-statuses.ts';

export { type LeadStatus, leadStatuses } from './lead-statuses.ts';

export const leads = pgTable(
  'leads',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    firstName: text('first_name').notNull().default(''),
    lastName: text('last_name').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    company: text('company'),
    title: text('title'),
    source: text('source'),
    status: text('status', { enum: leadStatuses }).notNull().default('new'),
    ownerId: uuid('owner_id'),
    score: integer('score').notNull().default(0),
    scoreReasons: jsonb('score_reasons').$type<{ points: number; reason: string }[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('leads_org_status').on(t.organizationId, t.status, t.id),
    index('leads_org_owner').on(t.organizationId, t.ownerId, t.id),
    index('leads_org_source').on(t.organizationId, t.source, t.id),
    index('leads_org_email').on(t.organizationId, t.email),
  ],
);
