import { createRoute } from '@hono/zod-openapi';
import { home, type PublicOperation } from '../../operation.ts';
import { failureResponse, jsonBody, pick } from '../../schemas/common.ts';
import {
  defaultScoringRulesExample,
  ScoringRules,
  ScoringRulesInput,
  scoringRulesExample,
  scoringRulesInputExample,
} from '../../schemas/scoring-rules.ts';
import { etagHeader, ifMatchHeaders } from '../responses.ts';

export const getScoringRulesRoute = createRoute({
  method: 'get',
  path: '/api/v1/scoring-rules',
  operationId: 'getScoringRules',
  tags: ['scoring-rules'],
  summary: "Read the organization's lead-scoring rules",
  description:
    'Needs scoring_rules:manage (admins). Until an admin changes them, the built-in rules every organization starts with (`isDefault`). `recompute` shows the progress of rescoring the leads after the last change.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: {
      description: 'The rules (the first few of the defaults are shown)',
      headers: etagHeader,
      content: { 'application/json': { schema: ScoringRules, example: defaultScoringRulesExample } },
    },
    ...pick(401, 403, 429),
  },
});

export const putScoringRulesRoute = createRoute({
  method: 'put',
  path: '/api/v1/scoring-rules',
  operationId: 'putScoringRules',
  tags: ['scoring-rules'],
  summary: "Replace the organization's lead-scoring rules",
  description:
    "Needs scoring_rules:manage (admins). The list replaces the current one and applies to every lead written from then on (API, imports, batch, forms, inbound webhooks). In the same transaction a recompute is queued: the analyzer worker rescores all of the organization's leads in batches and then emits one `leads.rescored` event (no event per lead); follow `recompute` in the answer or a later GET. Sending the same rules again changes nothing. Send If-Match with the ETag you last read (412 if the rules changed since).",
  security: [{ bearerAuth: [] }],
  request: {
    headers: ifMatchHeaders,
    body: jsonBody(ScoringRulesInput, 'The new rules, in evaluation order', scoringRulesInputExample),
  },
  responses: {
    200: {
      description: 'The rules now in force',
      headers: etagHeader,
      content: { 'application/json': { schema: ScoringRules, example: scoringRulesExample } },
    },
    ...pick(400, 401, 403, 413, 415, 429),
    412: failureResponse(
      'If-Match no longer matches: someone changed the rules first',
      'precondition_failed',
      'The scoring rules changed since you read it; read it again and retry',
    ),
  },
});

/** Lead scoring: the organization's rules, read and replaced as one document. */
export const scoringRuleOperations: PublicOperation[] = [
  { route: getScoringRulesRoute, target: home },
  { route: putScoringRulesRoute, target: home },
];
