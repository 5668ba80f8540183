import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import { ImportIdParam, ImportPatch, ImportSchema, importExample, importPatchExample } from '../../schemas/imports.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const updateImportRoute = createRoute({
  method: 'patch',
  path: '/api/v1/imports/{id}',
  operationId: 'updateImport',
  tags: ['imports'],
  summary: 'Set the column mapping and options of an import',
  description:
    'Only before it starts (409 after). `mapping` replaces the whole mapping: every key must be a header of the file and every value a field of the entity (see `fields`: its built-in fields and `cf.<key>` for each of its custom fields), or null to leave the column out. How custom field cells are read (numbers, dates, booleans, options; a multi-select’s options separated by `;`) is described under `ImportPatch.mapping`. `options.onDuplicate` says what a row matching an existing record by email (leads, contacts) or domain (companies) does. Send If-Match with the ETag you last read.',
  security: [{ bearerAuth: [] }],
  request: {
    params: ImportIdParam,
    headers: ifMatchHeaders,
    body: jsonBody(ImportPatch, 'The mapping and options', importPatchExample),
  },
  responses: {
    200: {
      description: 'Changed',
      headers: etagHeader,
      content: {
        'application/json': {
          schema: ImportSchema,
          example: { ...importExample, mapping: { ...importExample.mapping }, options: { onDuplicate: 'update' } },
        },
      },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: failureResponse(
      'The import has started',
      'import_started',
      'The import has started; its mapping and options can no longer change',
    ),
    412: failureResponse(
      'If-Match no longer matches',
      'precondition_failed',
      'The import changed since you read it; read it again and retry',
    ),
  },
});
