import { createRoute } from '@hono/zod-openapi';
import { failureResponse, jsonResponse, pick } from '../../schemas/common.ts';
import { ImportIdParam, ImportSchema, importExample } from '../../schemas/imports.ts';

export const startImportRoute = createRoute({
  method: 'post',
  path: '/api/v1/imports/{id}/start',
  operationId: 'startImport',
  tags: ['imports'],
  summary: 'Start importing',
  description:
    'Queues the import; it runs in the background in batches of 500 rows, each committed with its progress. Poll GET /api/v1/imports/{id} for progress. Starting a queued import again is harmless. An import left queued or running when its region stopped resumes by itself when the region starts again, after its last committed batch (one whose process died is taken over once its 5-minute lease has run out); no row is imported twice. The mapping must name the record (a name, email or phone; a company’s name), else 400. Needs data:import, the entity’s create permission, and its update permission when duplicates update.',
  security: [{ bearerAuth: [] }],
  request: { params: ImportIdParam },
  responses: {
    202: jsonResponse(ImportSchema, 'Queued', { ...importExample, status: 'queued' }),
    ...pick(400, 401, 403, 404, 429),
    409: failureResponse(
      'The import has already run or been cancelled',
      'import_not_startable',
      'The import is completed; only an uploaded import can start',
    ),
  },
});
