import { createRoute } from '@hono/zod-openapi';
import { LeadAssignmentSchema, leadAssignmentExample } from '../../schemas/assignment-rules.ts';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';

export const getLeadAssignmentRoute = createRoute({
  method: 'get',
  path: '/api/v1/leads/{id}/assignment',
  operationId: 'getLeadAssignment',
  tags: ['leads'],
  summary: 'Why a lead went to its owner: its last automatic assignment, explained',
  description:
    'Which rules were tried, which matched, and for each rep of a matching rule whether they were chosen, eligible or skipped and why (away, at capacity, not in their territory, or unable to own leads). A lead no rep could take shows why it stayed unassigned. 404 for a lead the caller may not see, and for one dispatch never placed (it was created with an owner, or the organization has no active rules).',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: jsonResponse(LeadAssignmentSchema, 'The last assignment', leadAssignmentExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
