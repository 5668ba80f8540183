import { createRoute } from '@hono/zod-openapi';
import { failureResponse, pick } from '../../schemas/common.ts';
import { ImportSchema, ImportUpload, importExample, importUploadExample } from '../../schemas/imports.ts';
import { uploadRefusals } from '../attachments/responses.ts';
import { etagHeader, idempotencyHeaders } from '../responses.ts';

export const createImportRoute = createRoute({
  method: 'post',
  path: '/api/v1/imports',
  operationId: 'createImport',
  tags: ['imports'],
  summary: 'Upload a CSV file to import',
  description:
    'Send multipart/form-data with the CSV as the part `file` (UTF-8 with a header row; at most IMPORT_MAX_BYTES, 128 MiB by default; the upload streams into storage and is answered right after its last byte) and `entity` (lead, contact or company). The file is checked and stored; nothing is imported yet. The answer lists its headers and a suggested mapping of columns to fields: correct it with PATCH, check rows with preview, then start. Needs data:import and the entity’s create permission.',
  security: [{ bearerAuth: [] }],
  request: {
    headers: idempotencyHeaders,
    body: {
      required: true,
      description: 'The CSV file and what it holds',
      content: { 'multipart/form-data': { schema: ImportUpload, example: importUploadExample } },
    },
  },
  responses: {
    201: {
      description: 'Uploaded, with the suggested mapping',
      headers: {
        ...etagHeader,
        Location: {
          description: 'The import',
          schema: { type: 'string' as const, example: `/api/v1/imports/${importExample.id}` },
        },
      },
      content: { 'application/json': { schema: ImportSchema, example: importExample } },
    },
    ...pick(400, 401, 403, 429),
    ...uploadRefusals('CSV file', 'text/csv'),
    422: failureResponse(
      'The Idempotency-Key was used before with another upload',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request',
    ),
  },
});
