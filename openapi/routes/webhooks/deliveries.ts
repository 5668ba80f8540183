import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonResponse, pick } from '../../schemas/common.ts';
import {
  DeliveryParams,
  WebhookDeliveryList,
  WebhookDeliveryQuery,
  WebhookDeliverySchema,
} from '../../schemas/webhooks.ts';
import { deliveryExample } from './examples.ts';

export const listWebhookDeliveriesRoute = createRoute({
  method: 'get',
  path: '/api/v1/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['webhooks'],
  summary: "A subscription's delivery log, newest first (admins)",
  description:
    'Each delivery with its attempts, last response (status, first KiB of the body, duration) and next attempt.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam, query: WebhookDeliveryQuery },
  responses: {
    200: jsonResponse(WebhookDeliveryList, 'Deliveries', { data: [deliveryExample], nextCursor: null }),
    ...pick(400, 401, 403, 404, 429),
  },
});

export const replayWebhookDeliveryRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
  operationId: 'replayWebhookDelivery',
  tags: ['webhooks'],
  summary: 'Send a delivery again (admins)',
  description: 'Queues a new round of attempts with the same body and `Webhook-Id`, retried like a new delivery.',
  security: [{ bearerAuth: [] }],
  request: { params: DeliveryParams },
  responses: {
    202: jsonResponse(WebhookDeliverySchema, 'Queued', { ...deliveryExample, status: 'pending' }),
    ...pick(400, 401, 403, 404, 429),
  },
});
