import { createRoute } from '@hono/zod-openapi';
import { errorResponse, jsonBody, pick } from '../../schemas/common.ts';
import {
  DealIdParam,
  DealSchema,
  LostInput,
  lostDealExample,
  lostInputExample,
  WonInput,
  wonDealExample,
  wonInputExample,
} from '../../schemas/deals.ts';
import { errorExample } from '../../schemas/examples.ts';
import { ifMatchHeaders } from '../responses.ts';
import { dealHeaders, dealPreconditionFailed } from './deal-responses.ts';

const closeConflict = (outcome: 'won' | 'lost') =>
  errorResponse(`The deal is already ${outcome}, or its pipeline has no ${outcome} stage`, {
    [`deal_already_${outcome}`]: {
      summary: `Already ${outcome}`,
      value: errorExample(`deal_already_${outcome}`, `The deal is already ${outcome}`),
    },
    [`no_${outcome}_stage`]: {
      summary: `No ${outcome} stage`,
      value: errorExample(`no_${outcome}_stage`, `The deal's pipeline has no ${outcome} stage; add one first`),
    },
  });

export const winDealRoute = createRoute({
  method: 'post',
  path: '/api/v1/deals/{id}/won',
  operationId: 'markDealWon',
  tags: ['deals'],
  summary: 'Mark a deal won',
  description:
    "Moves the deal to its pipeline's won stage (the first, if there are several): status won, closedAt now, closeReason the optional reason. The move is written to the stage history and emits deal.stage_changed and deal.won. A lost deal may be won; one already won answers 409. The body may be left out. Send If-Match with the ETag you last read (412 if it changed).",
  security: [{ bearerAuth: [] }],
  request: {
    params: DealIdParam,
    headers: ifMatchHeaders,
    body: { ...jsonBody(WonInput, 'Why it was won (optional)', wonInputExample), required: false },
  },
  responses: {
    200: {
      description: 'Won',
      headers: dealHeaders,
      content: { 'application/json': { schema: DealSchema, example: wonDealExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: closeConflict('won'),
    412: dealPreconditionFailed,
  },
});

export const loseDealRoute = createRoute({
  method: 'post',
  path: '/api/v1/deals/{id}/lost',
  operationId: 'markDealLost',
  tags: ['deals'],
  summary: 'Mark a deal lost, with the reason',
  description:
    "Moves the deal to its pipeline's lost stage (the first, if there are several): status lost, closedAt now, closeReason the required reason. The move is written to the stage history and emits deal.stage_changed and deal.lost. A won deal may be lost; one already lost answers 409. Send If-Match with the ETag you last read (412 if it changed).",
  security: [{ bearerAuth: [] }],
  request: {
    params: DealIdParam,
    headers: ifMatchHeaders,
    body: jsonBody(LostInput, 'Why it was lost', lostInputExample),
  },
  responses: {
    200: {
      description: 'Lost',
      headers: dealHeaders,
      content: { 'application/json': { schema: DealSchema, example: lostDealExample } },
    },
    ...pick(400, 401, 403, 404, 413, 415, 429),
    409: closeConflict('lost'),
    412: dealPreconditionFailed,
  },
});
