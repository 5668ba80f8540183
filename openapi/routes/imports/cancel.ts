import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonResponse, pick } from '../../schemas/common.ts';
import { ImportIdParam, ImportSchema, runningImportExample } from '../../schemas/imports.ts';

export const cancelImportRoute = createRoute({
  method: 'post',
  path: '/api/v1/imports/{id}/cancel',
  operationId: 'cancelImport',
  tags: ['imports'],
  summary: 'Cancel an import',
  description:
    'An import not yet running is cancelled at once. A running one stops before its next batch: the rows already imported stay, and the answer shows `cancelRequested` until it has stopped. Needs data:import.',
  security: [{ bearerAuth: [] }],
  request: { params: ImportIdParam },
  responses: {
    202: jsonResponse(ImportSchema, 'Cancelled, or stopping after the current batch', {
      ...runningImportExample,
      cancelRequested: true,
    }),
    ...pick(400, 401, 403, 404, 429),
    409: failureResponse('The import has already finished', 'import_finished', 'The import is already completed'),
  },
});
