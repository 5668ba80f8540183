import { createRoute } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { ImportIdParam, ImportSchema, runningImportExample } from '../../schemas/imports.ts';
import { etagHeader } from '../responses.ts';

export const getImportRoute = createRoute({
  method: 'get',
  path: '/api/v1/imports/{id}',
  operationId: 'getImport',
  tags: ['imports'],
  summary: 'Read an import and its progress',
  description:
    'Poll this while an import runs: the row counters move after every batch of 500 rows. Never cached, since the import changes without a request. Needs data:import.',
  security: [{ bearerAuth: [] }],
  request: { params: ImportIdParam },
  responses: {
    200: {
      description: 'The import',
      headers: etagHeader,
      content: { 'application/json': { schema: ImportSchema, example: runningImportExample } },
    },
    ...pick(400, 401, 403, 404, 429),
  },
});
