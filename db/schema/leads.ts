import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';
import type { CustomFieldValues } from './crm.ts';
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
    /** ISO 3166-1 alpha-2 country, the state or region within it, and the industry: what territory rules match. */
    country: text('country'),
    region: text('region'),
    industry: text('industry'),
    status: text('status', { enum: leadStatuses }).notNull().default('new'),
    ownerId: uuid('owner_id'),
    score: integer('score').notNull().default(0),
    scoreReasons: jsonb('score_reasons').$type<{ points: number; reason: string }[]>().notNull().default([]),
    customFields: jsonb('custom_fields').$type<CustomFieldValues>().notNull().default({}),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    convertedAt: at('converted_at'),
    convertedContactId: uuid('converted_contact_id'),
    convertedCompanyId: uuid('converted_company_id'),
    convertedDealId: uuid('converted_deal_id'),
    /** The lead's id in another system, for upserts through the batch API. */
    externalId: text('external_id'),
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
    // The list's sort orders (regions/leads/sort.ts): the same expressions, so a deep page is an index range.
    index('leads_org_score').on(t.organizationId, t.score, t.id),
    index('leads_org_company_sort').on(t.organizationId, sql`lower(coalesce(${t.company}, ''))`, t.id),
    index('leads_org_name_sort').on(t.organizationId, sql`lower(${t.firstName} || ' ' || ${t.lastName})`, t.id),
  ],
);
