import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';

const csvHeaders = {
  'Content-Disposition': {
    description: 'On CSV answers: `attachment; filename="<report>-<from>-<to>.csv"`',
    schema: { type: 'string' as const, example: 'attachment; filename="pipeline-2026-10-01-2026-12-31.csv"' },
  },
};

const CsvFile = z.string().openapi({
  description:
    'RFC 4180 CSV (UTF-8, CRLF line ends): a header row, then the same figures as the JSON answer, one row per line. Text cells starting with = + - or @ are prefixed with a single quote so spreadsheets never run them as formulas.',
});

const commonDescription =
  ' Days are counted in `tz` (default UTC); the range defaults to the last 30 days and may span at most 3 years (an invalid or reversed range is a 400). Needs reports:view: managers, admins, viewers and API keys with that scope see the whole organization, or one user with `ownerId`; a sales rep sees only their own figures (another `ownerId` is a 403). `format=csv` or `Accept: text/csv` downloads the report as a CSV file instead, which also needs reports:export. JSON answers are cached at the edge until the organization next writes.';

/** A report's GET route: its query, the JSON answer and the CSV download of the same figures. */
export function reportRoute<Q extends z.ZodObject, S extends z.ZodType>(report: {
  name: string;
  operationId: string;
  summary: string;
  description: string;
  query: Q;
  schema: S;
  example: z.output<S>;
  csvExample: string;
  notFound?: boolean;
}) {
  const json = jsonResponse(report.schema, report.summary, report.example);
  return createRoute({
    method: 'get',
    path: `/api/v1/analytics/${report.name}`,
    operationId: report.operationId,
    tags: ['analytics'],
    summary: report.summary,
    description: report.description + commonDescription,
    security: [{ bearerAuth: [] }],
    request: { query: report.query },
    responses: {
      200: {
        description: `${report.summary}: JSON, or a CSV file with format=csv or Accept: text/csv`,
        headers: csvHeaders,
        content: {
          ...json.content,
          'text/csv': { schema: CsvFile, example: report.csvExample },
        },
      },
      ...(report.notFound ? pick(400, 401, 403, 404, 429) : pick(400, 401, 403, 429)),
    },
  });
}
