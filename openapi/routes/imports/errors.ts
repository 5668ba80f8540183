import { createRoute, z } from '@hono/zod-openapi';
import { failureResponse, pick } from '../../schemas/common.ts';
import { ImportIdParam, importErrorsCsvExample } from '../../schemas/imports.ts';

export const importErrorsRoute = createRoute({
  method: 'get',
  path: '/api/v1/imports/{id}/errors',
  operationId: 'getImportErrors',
  tags: ['imports'],
  summary: 'Download the rows that failed',
  description:
    'A CSV with the line of each failed row, the reason (column: problem), and the row’s cells as they were, ready to fix and import again. Cells a spreadsheet would run as formulas are prefixed with an apostrophe. Available once the import has finished (409 before). Needs data:import.',
  security: [{ bearerAuth: [] }],
  request: { params: ImportIdParam },
  responses: {
    200: {
      description: 'The failed rows',
      content: { 'text/csv': { schema: z.string(), example: importErrorsCsvExample } },
    },
    ...pick(400, 401, 403, 404, 429),
    409: failureResponse(
      'The import has not finished',
      'import_not_finished',
      'The error report is ready once the import has finished',
    ),
  },
});
