import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';
import {
  activityPriorities,
  activityTypes,
  companySizes,
  customFieldEntities,
  customFieldTypes,
  dealStatuses,
  lifecycleStages,
  stageKinds,
} from './crm-enums.ts';

export type CustomFieldValues = Record<string, string | number | boolean | string[] | null>;
export type Address = { street?: string; city?: string; region?: string; postalCode?: string; country?: string };

const customFields = () => jsonb('custom_fields').$type<CustomFieldValues>().notNull().default({});
const tags = () => text('tags').array().notNull().default(sql`'{}'::text[]`);
const version = () => integer('version').notNull().default(1);

export const companies = pgTable(
  'companies',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** Lower-cased host without `www.`; unique within the organization. */
    domain: text('domain'),
    industry: text('industry'),
    size: text('size', { enum: companySizes }),
    address: jsonb('address').$type<Address>(),
    ownerId: uuid('owner_id'),
    customFields: customFields(),
    tags: tags(),
    /** The record's id in another system, for upserts through the batch API. */
    externalId: text('external_id'),
    version: version(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('companies_org_domain').on(t.organizationId, t.domain).where(sql`${t.domain} is not null`),
    index('companies_org_owner').on(t.organizationId, t.ownerId, t.id),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    firstName: text('first_name').notNull().default(''),
    lastName: text('last_name').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    title: text('title'),
    lifecycleStage: text('lifecycle_stage', { enum: lifecycleStages }).notNull().default('lead'),
    companyId: uuid('company_id'),
    ownerId: uuid('owner_id'),
    /** The lead this contact was converted from, if any. */
    leadId: uuid('lead_id'),
    marketingEmailConsent: boolean('marketing_email_consent').notNull().default(false),
    consentGivenAt: at('consent_given_at'),
    consentSource: text('consent_source'),
    customFields: customFields(),
    tags: tags(),
    /** The record's id in another system, for upserts through the batch API. */
    externalId: text('external_id'),
    version: version(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('contacts_org_owner').on(t.organizationId, t.ownerId, t.id),
    index('contacts_org_company').on(t.organizationId, t.companyId),
    index('contacts_org_email').on(t.organizationId, t.email),
    index('contacts_org_lead').on(t.organizationId, t.leadId),
  ],
);

export const pipelines = pgTable(
  'pipelines',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    position: integer('position').notNull().default(0),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    pipelineId: uuid('pipeline_id').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    /** Win probability in percent, for weighted pipeline value. */
    probability: integer('probability').notNull().default(0),
    kind: text('kind', { enum: stageKinds }).notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('pipeline_stages_org_pipeline').on(t.organizationId, t.pipelineId, t.position),
  ],
);

export const deals = pgTable(
  'deals',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    amount: numeric('amount', { precision: 18, scale: 2, mode: 'string' }).notNull().default('0'),
    currency: text('currency').notNull().default('USD'),
    expectedCloseDate: date('expected_close_date', { mode: 'string' }),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    stageEnteredAt: at('stage_entered_at').notNull().defaultNow(),
    status: text('status', { enum: dealStatuses }).notNull().default('open'),
    closedAt: at('closed_at'),
    closeReason: text('close_reason'),
    ownerId: uuid('owner_id'),
    contactId: uuid('contact_id'),
    companyId: uuid('company_id'),
    leadId: uuid('lead_id'),
    customFields: customFields(),
    tags: tags(),
    /** The record's id in another system, for upserts through the batch API. */
    externalId: text('external_id'),
    version: version(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('deals_org_stage').on(t.organizationId, t.stageId, t.id),
    index('deals_org_owner').on(t.organizationId, t.ownerId, t.id),
    index('deals_org_status').on(t.organizationId, t.status, t.id),
    index('deals_org_contact').on(t.organizationId, t.contactId),
    index('deals_org_company').on(t.organizationId, t.companyId),
  ],
);

/** Every stage change of a deal: who, when, from, to, and how long it sat in the stage it left. */
export const dealStageChanges = pgTable(
  'deal_stage_changes',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    dealId: uuid('deal_id').notNull(),
    fromStageId: uuid('from_stage_id'),
    toStageId: uuid('to_stage_id').notNull(),
    changedBy: uuid('changed_by'),
    changedAt: at('changed_at').notNull().defaultNow(),
    secondsInPreviousStage: bigint('seconds_in_previous_stage', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('deal_stage_changes_org_deal').on(t.organizationId, t.dealId, t.id),
  ],
);

export const activities = pgTable(
  'activities',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    type: text('type', { enum: activityTypes }).notNull(),
    subject: text('subject').notNull(),
    body: text('body'),
    ownerId: uuid('owner_id'),
    leadId: uuid('lead_id'),
    contactId: uuid('contact_id'),
    companyId: uuid('company_id'),
    dealId: uuid('deal_id'),
    dueAt: at('due_at'),
    priority: text('priority', { enum: activityPriorities }).notNull().default('normal'),
    done: boolean('done').notNull().default(false),
    completedAt: at('completed_at'),
    durationSeconds: integer('duration_seconds'),
    outcome: text('outcome'),
    startsAt: at('starts_at'),
    endsAt: at('ends_at'),
    attendees: jsonb('attendees').$type<string[]>(),
    emailDirection: text('email_direction', { enum: ['inbound', 'outbound'] }),
    emailFrom: text('email_from'),
    emailTo: jsonb('email_to').$type<string[]>(),
    tags: tags(),
    version: version(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('activities_org_owner_open').on(t.organizationId, t.ownerId, t.done, t.dueAt),
    index('activities_org_lead').on(t.organizationId, t.leadId, t.id),
    index('activities_org_contact').on(t.organizationId, t.contactId, t.id),
    index('activities_org_company').on(t.organizationId, t.companyId, t.id),
    index('activities_org_deal').on(t.organizationId, t.dealId, t.id),
  ],
);

export const customFieldDefinitions = pgTable(
  'custom_field_definitions',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    entity: text('entity', { enum: customFieldEntities }).notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: customFieldTypes }).notNull(),
    options: jsonb('options').$type<string[]>(),
    required: boolean('required').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('custom_field_definitions_org_entity_key').on(t.organizationId, t.entity, t.key),
  ],
);

export const savedViews = pgTable(
  'saved_views',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    entity: text('entity', { enum: ['lead', 'contact', 'company', 'deal', 'activity'] }).notNull(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<Record<string, unknown>>().notNull().default({}),
    sort: jsonb('sort').$type<{ field: string; direction: 'asc' | 'desc' }[]>().notNull().default([]),
    shared: boolean('shared').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('saved_views_org_owner').on(t.organizationId, t.ownerId),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    recordType: text('record_type', { enum: ['lead', 'contact', 'company', 'deal', 'activity'] }).notNull(),
    recordId: uuid('record_id').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('attachments_org_record').on(t.organizationId, t.recordId),
  ],
);

export const imports = pgTable(
  'imports',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    entity: text('entity', { enum: ['lead', 'contact', 'company'] }).notNull(),
    status: text('status', { enum: ['uploaded', 'queued', 'running', 'completed', 'failed', 'cancelled'] })
      .notNull()
      .default('uploaded'),
    filename: text('filename').notNull(),
    storageKey: text('storage_key').notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>(),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    totalRows: integer('total_rows'),
    processedRows: integer('processed_rows').notNull().default(0),
    createdRows: integer('created_rows').notNull().default(0),
    updatedRows: integer('updated_rows').notNull().default(0),
    failedRows: integer('failed_rows').notNull().default(0),
    errorReportKey: text('error_report_key'),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    createdBy: uuid('created_by'),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

/**
 * The dedupe keys (email or domain) an import has met so far, each with the line it first appeared on: a later row
 * with the same key is reported as a duplicate of that line. Written with each batch in its transaction (so a
 * resumed run finds exactly the keys of the committed batches) and emptied when the import ends; it keeps the run's
 * memory flat however large the file.
 */
export const importKeys = pgTable(
  'import_keys',
  {
    organizationId: organizationId(),
    importId: uuid('import_id').notNull(),
    key: text('key').notNull(),
    line: integer('line').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.importId, t.key] })],
);
