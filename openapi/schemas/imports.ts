import { z } from '@hono/zod-openapi';
import { FilePart } from './attachments.ts';
import { Timestamp } from './common.ts';

export const importEntities = ['lead', 'contact', 'company'] as const;
export type ImportEntity = (typeof importEntities)[number];
export const ImportEntitySchema = z.enum(importEntities).openapi('ImportEntity');

export const importStatuses = ['uploaded', 'queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const ImportStatusSchema = z.enum(importStatuses).openapi('ImportStatus', {
  description:
    '`uploaded`: waiting for its mapping and start; `queued`/`running`: importing; `completed`, `failed`, `cancelled`: done',
});

export const OnDuplicateSchema = z.enum(['skip', 'update']).openapi('ImportOnDuplicate', {
  description:
    'What a row whose email (leads, contacts) or domain (companies) matches an existing record does: leave it (`skip`) or fill in the fields the row has (`update`)',
});

export const ImportUpload = z.object({ file: FilePart, entity: ImportEntitySchema }).openapi('ImportUpload', {
  description: 'The CSV file (UTF-8, a header row first) as the part `file`, and what it holds as the part `entity`',
});

const header = z.string().max(200);

export const ImportPatch = z
  .strictObject({
    mapping: z
      .record(header, z.string().max(50).nullable())
      .optional()
      .openapi({
        description:
          'Column header → field. Replaces the whole mapping; a header left out, or mapped to null, is not imported. A field is one of the entity’s `fields`: a built-in field, or `cf.<key>` for one of its custom fields (see /api/v1/custom-fields). A custom field cell is read by the field’s type: text as it is; number in plain decimal notation (`1234.5`, `-3`, `1e3`; no thousands separators); date as `YYYY-MM-DD`; boolean as `true`/`false`, `yes`/`no` or `1`/`0` (any case); select as one of its options (any case); multi_select as its options separated by `;` (`EMEA; APAC`). An empty cell sets nothing. A value that does not fit fails its row (reported by line and column); a required custom field left empty fails a row that would create a record, not one that updates an existing record',
        example: { 'E-mail': 'email', 'Company name': 'company', Seats: 'cf.seats', Notes: null },
      }),
    options: z
      .strictObject({ onDuplicate: OnDuplicateSchema.optional() })
      .optional()
      .openapi({ description: 'How the import treats duplicates' }),
  })
  .refine((v) => v.mapping !== undefined || v.options !== undefined, 'Send a mapping, options or both')
  .openapi('ImportPatch');

export const ImportSchema = z
  .object({
    id: z.uuid(),
    entity: ImportEntitySchema,
    status: ImportStatusSchema,
    filename: z.string(),
    headers: z.array(z.string()).openapi({ description: 'The header row of the file, in order' }),
    mapping: z.record(z.string(), z.string()).openapi({
      description:
        'Column header → field; suggested on upload from the headers (a built-in field by its name or a common synonym, a custom field by its key or label), set with PATCH',
    }),
    fields: z.array(z.string()).openapi({
      description:
        'The fields a column can be mapped to for this entity: its built-in fields, then `cf.<key>` for each of its custom fields',
    }),
    options: z.object({ onDuplicate: OnDuplicateSchema }),
    totalRows: z.number().int().nullable().openapi({ description: 'Data rows in the file (the header not counted)' }),
    processedRows: z.number().int(),
    createdRows: z.number().int(),
    updatedRows: z.number().int(),
    skippedRows: z.number().int().openapi({ description: 'Rows matching an existing record, left as they were' }),
    failedRows: z.number().int().openapi({ description: 'Rows not imported; GET …/errors says why' }),
    cancelRequested: z.boolean(),
    createdBy: z.uuid().nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    errorsUrl: z.string().nullable().openapi({ description: 'The CSV of failed rows, once the import has finished' }),
  })
  .openapi('Import');

export const ImportList = z
  .object({
    data: z.array(ImportSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('ImportList');

const RowIssue = z.object({
  field: z.string().openapi({ description: 'The column header (or field) at fault', example: 'E-mail' }),
  message: z.string(),
});

export const ImportPreview = z
  .object({
    rows: z.array(
      z.object({
        line: z.number().int().openapi({ description: 'Line of the file the row starts on (the header is line 1)' }),
        values: z.record(z.string(), z.unknown()).openapi({ description: 'The record the row would become' }),
        errors: z.array(RowIssue),
      }),
    ),
    validRows: z.number().int(),
    invalidRows: z.number().int(),
  })
  .openapi('ImportPreview');

export const ImportIdParam = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: 'The import id (a UUID)' },
    example: '0193a5fe-3b4c-7d5e-8f6a-7b8c9d0e1f2a',
  }),
});

export const ImportListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query', description: 'Page size, 1–200' }, example: 50 }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query', description: 'Opaque cursor: `nextCursor` from the previous page' },
      example: 'eyJ2IjoxLCJpZCI6IjAxOTNhNWZlLTNiNGMtN2Q1ZS04ZjZhLTdiOGM5ZDBlMWYyYSJ9',
    }),
});

// Examples, typed by the schemas they illustrate so a contract change cannot leave one stale.
const importId = '0193a5fe-3b4c-7d5e-8f6a-7b8c9d0e1f2a';

export const importUploadExample = {
  file: 'First Name,Surname,E-mail,Company name,Seats,Notes\nAda,Lovelace,…',
  entity: 'lead',
};

export const importExample: z.output<typeof ImportSchema> = {
  id: importId,
  entity: 'lead',
  status: 'uploaded',
  filename: 'trade-show-leads.csv',
  headers: ['First Name', 'Surname', 'E-mail', 'Company name', 'Seats', 'Notes'],
  mapping: {
    'First Name': 'firstName',
    Surname: 'lastName',
    'E-mail': 'email',
    'Company name': 'company',
    Seats: 'cf.seats',
  },
  fields: ['firstName', 'lastName', 'fullName', 'email', 'phone', 'company', 'title', 'source', 'status', 'cf.seats'],
  options: { onDuplicate: 'skip' },
  totalRows: 1250,
  processedRows: 0,
  createdRows: 0,
  updatedRows: 0,
  skippedRows: 0,
  failedRows: 0,
  cancelRequested: false,
  createdBy: '0193a5f2-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  startedAt: null,
  finishedAt: null,
  createdAt: '2026-11-27T09:00:00.000Z',
  updatedAt: '2026-11-27T09:00:00.000Z',
  errorsUrl: null,
};

export const runningImportExample: z.output<typeof ImportSchema> = {
  ...importExample,
  status: 'running',
  processedRows: 500,
  createdRows: 481,
  updatedRows: 0,
  skippedRows: 12,
  failedRows: 7,
  startedAt: '2026-11-27T09:02:00.000Z',
  updatedAt: '2026-11-27T09:02:03.000Z',
};

export const importPatchExample: z.input<typeof ImportPatch> = {
  mapping: {
    'First Name': 'firstName',
    Surname: 'lastName',
    'E-mail': 'email',
    'Company name': 'company',
    Seats: 'cf.seats',
    Notes: null,
  },
  options: { onDuplicate: 'update' },
};

export const importPreviewExample: z.output<typeof ImportPreview> = {
  rows: [
    {
      line: 2,
      values: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@analytical.example', customFields: { seats: 12 } },
      errors: [],
    },
    {
      line: 3,
      values: { firstName: 'Charles', email: 'not-an-email', customFields: { seats: 'a dozen' } },
      errors: [
        { field: 'E-mail', message: 'Invalid email address' },
        { field: 'Seats', message: 'Expected a number such as 1234.5' },
      ],
    },
  ],
  validRows: 1,
  invalidRows: 1,
};

export const importErrorsCsvExample =
  'line,reason,First Name,Surname,E-mail,Company name,Seats,Notes\n3,E-mail: Invalid email address; Seats: Expected a number such as 1234.5,Charles,Babbage,not-an-email,,a dozen,\n';
