import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { ImportList, ImportListQuery, importExample } from '../../schemas/imports.ts';

export const listImportsRoute = createRoute({
  method: 'get',
  path: '/api/v1/imports',
  operationId: 'listImports',
  tags: ['imports'],
  summary: 'List imports, newest first',
  description: 'Every import of the organization, with keyset pagination. Needs data:import.',
  security: [{ bearerAuth: [] }],
  request: { query: ImportListQuery },
  responses: {
    200: jsonResponse(ImportList, 'A page of imports', { data: [importExample], nextCursor: null }),
    ...pick(400, 401, 403, 429),
  },
});
