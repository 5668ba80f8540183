import { createRoute } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';
import { CsvFile, type ExportEntity, exportExamples, exportQueries } from '../../schemas/exports.ts';

const described: Record<ExportEntity, string> = {
  leads: 'leads',
  contacts: 'contacts',
  companies: 'companies',
  deals: 'deals',
  activities: 'activities (tasks, calls, meetings, notes and emails)',
};

/** `GET /api/v1/exports/<records>.csv`, one route per list. */
const exportRoute = <E extends ExportEntity>(entity: E) =>
  createRoute({
    method: 'get',
    path: `/api/v1/exports/${entity}.csv`,
    operationId: `export${entity[0]!.toUpperCase()}${entity.slice(1)}`,
    tags: ['exports'],
    summary: `Export ${entity} as CSV`,
    description: `Every one of the ${described[entity]} the list endpoint would show with the same filters, newest first, as one CSV file streamed page by page (nothing is held in memory). The columns are named like the API's fields, so the file imports back. Cells a spreadsheet would run as a formula are prefixed with an apostrophe. Needs data:export and ${entity}:read; a sales rep's export holds only their own records${entity === 'companies' ? ' (companies are shared: all of them)' : ''}.`,
    security: [{ bearerAuth: [] }],
    request: { query: exportQueries[entity] },
    responses: {
      200: {
        description: `The ${entity}, as CSV`,
        headers: {
          'Content-Disposition': {
            description: 'Always `attachment`, with a dated file name',
            schema: { type: 'string' as const, example: `attachment; filename="${entity}-2026-11-27.csv"` },
          },
        },
        content: { 'text/csv': { schema: CsvFile, example: exportExamples[entity] } },
      },
      ...pick(400, 401, 403, 429),
    },
  });

export const exportRoutes = {
  leads: exportRoute('leads'),
  contacts: exportRoute('contacts'),
  companies: exportRoute('companies'),
  deals: exportRoute('deals'),
  activities: exportRoute('activities'),
};
