import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { DealIdParam, StageChangeList, StageChangeListQuery, stageChangeListExample } from '../../schemas/deals.ts';

export const listStageChangesRoute = createRoute({
  method: 'get',
  path: '/api/v1/deals/{id}/stage-changes',
  operationId: 'listDealStageChanges',
  tags: ['deals'],
  summary: "A deal's stage history, newest first",
  description:
    "Every move of the deal, from the stage it was created in: who moved it, when, from and to which stage, and how many seconds it sat in the stage it left. The deal's time in its current stage runs from its `stageEnteredAt`. Same visibility as the deal (404 when the caller may not see it).",
  security: [{ bearerAuth: [] }],
  request: { params: DealIdParam, query: StageChangeListQuery },
  responses: {
    200: jsonResponse(StageChangeList, 'A page of stage changes', stageChangeListExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
