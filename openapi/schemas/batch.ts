import { z } from '@hono/zod-openapi';

/** Most records one batch request may carry; the region writes them in transactions of BATCH_CHUNK. */
export const BATCH_MAX_RECORDS = 1000;

export const BatchRequest = z
  .strictObject({
    mode: z.enum(['create', 'upsert']).openapi({
      description: '`create` inserts every record; `upsert` updates the record matched on `matchOn`, else creates it',
    }),
    matchOn: z.enum(['email', 'domain', 'externalId']).optional().openapi({
      description:
        'The key an upsert matches on (required for upserts): leads and contacts on email or externalId, companies on domain or externalId, deals on externalId',
    }),
    records: z.array(z.record(z.string(), z.unknown())).min(1).max(BATCH_MAX_RECORDS).openapi({
      description:
        "Up to 1,000 records, each validated like the single create's body plus an optional `externalId`; an invalid record is reported in its result and the others are still written",
    }),
  })
  .openapi('BatchRequest');

export const BatchErrorSchema = z
  .object({
    code: z.string().openapi({
      description:
        'Why this record was not written: `validation_failed` (with `details`, custom fields as `customFields.<key>`), `duplicate_in_batch`, `ambiguous_match`, `not_found`, `forbidden`, `external_id_taken`, `domain_taken`, or what the single write answers (`unknown_owner`, `unknown_company`, `unknown_contact`, `unknown_pipeline`, `stage_not_in_pipeline`)',
      example: 'validation_failed',
    }),
    message: z.string().openapi({ example: 'The record is invalid' }),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('BatchError');

export const BatchResultSchema = z
  .object({
    index: z.number().int().min(0).openapi({ description: "The record's position in `records`" }),
    status: z.enum(['created', 'updated', 'unchanged', 'failed']),
    id: z.uuid().optional().openapi({ description: 'The id of the record written or matched' }),
    error: BatchErrorSchema.optional(),
  })
  .openapi('BatchResult');

export const BatchResponse = z
  .object({
    results: z.array(BatchResultSchema),
    created: z.number().int().min(0),
    updated: z.number().int().min(0),
    failed: z.number().int().min(0),
  })
  .openapi('BatchResponse');

type BatchRequestExample = z.input<typeof BatchRequest>;
type BatchResponseExample = z.output<typeof BatchResponse>;

const ids = {
  lead: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  contact: '0193a5f8-7b8c-7d9e-8f0a-2b3c4d5e6f7a',
  contactCreated: '0193a5f8-7b8d-7a1b-8c2d-3e4f5a6b7c8d',
  company: '0193a5f7-6a7b-7c8d-9e0f-1a2b3c4d5e6f',
  companyCreated: '0193a5f7-6a7c-7d9e-8f0a-2b3c4d5e6f7a',
  deal: '0193a5f9-8c9d-7e0f-9a1b-3c4d5e6f7a8b',
  stage: '0193a5fb-0e1f-7a2b-9c3d-5e6f7a8b9c0d',
};

const invalid = (index: number, message: string, path: string, detail: string) => ({
  index,
  status: 'failed' as const,
  error: { code: 'validation_failed', message, details: [{ path, message: detail }] },
});

/** A request and its answer per resource, for the documentation of each batch route. */
export const batchExamples: Record<
  'leads' | 'contacts' | 'companies' | 'deals',
  { request: BatchRequestExample; response: BatchResponseExample }
> = {
  leads: {
    request: {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'hubspot-1001', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@analytical.example' },
        { externalId: 'hubspot-1002', firstName: 'Grace', email: 'not-an-email' },
      ],
    },
    response: {
      results: [
        { index: 0, status: 'updated', id: ids.lead },
        invalid(1, 'The record is invalid', 'email', 'Invalid email address'),
      ],
      created: 0,
      updated: 1,
      failed: 1,
    },
  },
  contacts: {
    request: {
      mode: 'upsert',
      matchOn: 'email',
      records: [
        { email: 'Ada@Analytical.example', lifecycleStage: 'customer', customFields: { preferred_language: 'en' } },
        {
          email: 'grace@navy.example',
          firstName: 'Grace',
          externalId: 'crm-2002',
          marketingEmailConsent: true,
          consentSource: 'import',
        },
        { email: 'charles@engines.example', firstName: 'Charles', customFields: { preferred_language: 'xx' } },
      ],
    },
    response: {
      results: [
        { index: 0, status: 'updated', id: ids.contact },
        { index: 1, status: 'created', id: ids.contactCreated },
        invalid(2, 'The custom fields are invalid', 'customFields.preferred_language', 'Expected one of: en, fr, de'),
      ],
      created: 1,
      updated: 1,
      failed: 1,
    },
  },
  companies: {
    request: {
      mode: 'upsert',
      matchOn: 'domain',
      records: [
        { name: 'Analytical Engines Ltd', domain: 'https://www.analytical.example/about', industry: 'Computing' },
        { name: 'Difference Works', domain: 'difference.example', externalId: 'erp-77', tags: ['emea'] },
        { name: 'Nowhere', domain: 'not a domain' },
      ],
    },
    response: {
      results: [
        { index: 0, status: 'unchanged', id: ids.company },
        { index: 1, status: 'created', id: ids.companyCreated },
        invalid(
          2,
          'The record is invalid',
          'domain',
          'Not a domain name: give a host such as acme.com (a URL is fine; its scheme, www. and path are dropped)',
        ),
      ],
      created: 1,
      updated: 0,
      failed: 1,
    },
  },
  deals: {
    request: {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'sf-006-1', name: 'Analytical Engines — 40 seats', amount: '12500.00', stageId: ids.stage },
        { externalId: 'sf-006-2', name: 'Difference Works — pilot', contactId: ids.contact },
      ],
    },
    response: {
      results: [
        { index: 0, status: 'updated', id: ids.deal },
        {
          index: 1,
          status: 'failed',
          error: {
            code: 'unknown_contact',
            message: 'contactId is not a contact of this organization',
            details: [{ path: 'contactId', message: 'Not a contact of this organization' }],
          },
        },
      ],
      created: 0,
      updated: 1,
      failed: 1,
    },
  },
};
