import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  InboundEndpointCreated,
  InboundEndpointInput,
  InboundEndpointList,
  InboundPayload,
  InboundResult,
  InboundTokenParam,
} from '../../schemas/webhooks.ts';
import { noContent } from '../responses.ts';
import {
  inboundCreatedExample,
  inboundEndpointExample,
  inboundInputExample,
  inboundLeadExample,
  inboundPayloadExample,
} from './examples.ts';

const tags = ['webhooks'];

export const createInboundEndpointRoute = createRoute({
  method: 'post',
  path: '/api/v1/inbound-endpoints',
  operationId: 'createInboundEndpoint',
  tags,
  summary: 'Create an inbound webhook that turns JSON into leads (admins); its token is shown once',
  description:
    'An external tool (an ad platform, a form builder) POSTs JSON to the returned `url`; `mapping` says which dot path of that JSON fills each lead field.',
  security: [{ bearerAuth: [] }],
  request: { body: jsonBody(InboundEndpointInput, 'Name and field mapping', inboundInputExample) },
  responses: {
    201: jsonResponse(InboundEndpointCreated, 'Created; `token` is the secret', inboundCreatedExample),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});

export const listInboundEndpointsRoute = createRoute({
  method: 'get',
  path: '/api/v1/inbound-endpoints',
  operationId: 'listInboundEndpoints',
  tags,
  summary: "The organization's inbound webhooks, without their tokens (admins)",
  description: 'Each with its mapping, the prefix that identifies its token and when it was last used.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonResponse(InboundEndpointList, 'Inbound webhooks', { data: [inboundEndpointExample] }),
    ...pick(401, 403, 429),
  },
});

export const deleteInboundEndpointRoute = createRoute({
  method: 'delete',
  path: '/api/v1/inbound-endpoints/{id}',
  operationId: 'deleteInboundEndpoint',
  tags,
  summary: 'Delete an inbound webhook (admins)',
  description: 'Its URL stops working at once (404).',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429) },
});

export const receiveInboundRoute = createRoute({
  method: 'post',
  path: '/api/v1/inbound/{token}',
  operationId: 'receiveInbound',
  tags,
  summary: 'Create a lead from an external JSON payload (no credentials: the token is the secret)',
  description:
    "The payload is mapped to a lead by the endpoint's mapping and created like `POST /api/v1/leads` (scored, checked for duplicates, announced as `lead.created`).",
  security: [],
  request: { params: InboundTokenParam, body: jsonBody(InboundPayload, 'Any JSON object', inboundPayloadExample) },
  responses: {
    201: jsonResponse(InboundResult, 'The lead created', inboundLeadExample),
    ...pick(400, 404, 413, 415, 429),
  },
});
