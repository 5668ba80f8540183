import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

/**
 * An embeddable lead-capture form. Its public id (`frm_<region>_<organization><id>`, regions/forms/public-id.ts)
 * is derived from these keys, so the edge routes a submission to the home region and the region finds the shard
 * without any lookup. `fields` is the ordered list of inputs with the lead field each fills.
 */
export const forms = pgTable(
  'forms',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    fields: jsonb('fields').notNull(),
    /** Lead fields every submission gets unless a form field fills them (e.g. `{ "source": "web_form" }`). */
    leadDefaults: jsonb('lead_defaults').notNull().default({}),
    consentText: text('consent_text'),
    consentRequired: boolean('consent_required').notNull().default(false),
    submitLabel: text('submit_label').notNull().default('Send'),
    successMessage: text('success_message'),
    redirectUrl: text('redirect_url'),
    allowedOrigins: text('allowed_origins').array().notNull(),
    /** Cloudflare Turnstile site key; set, the embed shows the widget and the edge verifies its token. */
    turnstileSiteKey: text('turnstile_site_key'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

/**
 * One accepted submission: the values as sent, the lead it created, and the consent as given (the exact text shown,
 * when, from which page and address), kept as the record of how consent was obtained.
 */
export const formSubmissions = pgTable(
  'form_submissions',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    formId: uuid('form_id').notNull(),
    leadId: uuid('lead_id').notNull(),
    values: jsonb('values').notNull(),
    consentGiven: boolean('consent_given').notNull().default(false),
    consentText: text('consent_text'),
    consentGivenAt: at('consent_given_at'),
    origin: text('origin'),
    pageUrl: text('page_url'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('form_submissions_org_form').on(t.organizationId, t.formId, t.id),
  ],
);
