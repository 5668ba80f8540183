import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import { ActivitySummaryList, activitySummaryListExample, PageQuery } from '../../schemas/companies.ts';
import { relatedVisibility } from './responses.ts';

export const listCompanyActivitiesRoute = createRoute({
  method: 'get',
  path: '/api/v1/companies/{id}/activities',
  operationId: 'listCompanyActivities',
  tags: ['companies'],
  summary: "List a company's activities",
  description: `The tasks, calls, meetings, notes and emails linked to the company, as summaries. ${relatedVisibility}`,
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(ActivitySummaryList, 'A page of activity summaries', activitySummaryListExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
