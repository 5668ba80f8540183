import { createRoute } from '@hono/zod-openapi';
import { IdParam, jsonBody, jsonResponse, pick } from '../../schemas/common.ts';
import {
  WebhookDeliverySchema,
  WebhookSubscriptionInput,
  WebhookSubscriptionList,
  WebhookSubscriptionPatch,
  WebhookSubscriptionSchema,
  WebhookSubscriptionWithSecret,
} from '../../schemas/webhooks.ts';
import { noContent } from '../responses.ts';
import { deliveryExample, secretExample, subscriptionExample, subscriptionInputExample } from './examples.ts';

const tags = ['webhooks'];
const security = [{ bearerAuth: [] }];

export const createWebhookRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks',
  operationId: 'createWebhook',
  tags,
  summary: 'Subscribe a URL to events (admins); the signing secret is shown once',
  description:
    'Events whose type matches one of `eventTypes` (`lead.created`, `lead.*`, `*`) are POSTed to `url`, signed with the returned secret (see docs/webhooks.md). The URL must be https and must not point to a private, loopback or link-local address.',
  security,
  request: { body: jsonBody(WebhookSubscriptionInput, 'URL and event types', subscriptionInputExample) },
  responses: {
    201: jsonResponse(WebhookSubscriptionWithSecret, 'Created; `secret` signs the deliveries', {
      subscription: subscriptionExample,
      secret: secretExample,
    }),
    ...pick(400, 401, 403, 413, 415, 429),
  },
});

export const listWebhooksRoute = createRoute({
  method: 'get',
  path: '/api/v1/webhooks',
  operationId: 'listWebhooks',
  tags,
  summary: "The organization's webhook subscriptions, without their secrets (admins)",
  description: 'Disabled subscriptions are included, with why and when they were disabled.',
  security,
  responses: {
    200: jsonResponse(WebhookSubscriptionList, 'Subscriptions', { data: [subscriptionExample] }),
    ...pick(401, 403, 429),
  },
});

export const getWebhookRoute = createRoute({
  method: 'get',
  path: '/api/v1/webhooks/{id}',
  operationId: 'getWebhook',
  tags,
  summary: 'One webhook subscription (admins)',
  description: 'Its settings, status and consecutive failures; never its secret.',
  security,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(WebhookSubscriptionSchema, 'The subscription', subscriptionExample),
    ...pick(400, 401, 403, 404, 429),
  },
});

export const updateWebhookRoute = createRoute({
  method: 'patch',
  path: '/api/v1/webhooks/{id}',
  operationId: 'updateWebhook',
  tags,
  summary: 'Change a webhook subscription, or enable it again (admins)',
  description: 'Setting `status: active` on a disabled subscription re-enables it and resets its failure count.',
  security,
  request: {
    params: IdParam,
    body: jsonBody(WebhookSubscriptionPatch, 'The fields to change', { status: 'active' }),
  },
  responses: {
    200: jsonResponse(WebhookSubscriptionSchema, 'The subscription', subscriptionExample),
    ...pick(400, 401, 403, 404, 413, 415, 429),
  },
});

export const deleteWebhookRoute = createRoute({
  method: 'delete',
  path: '/api/v1/webhooks/{id}',
  operationId: 'deleteWebhook',
  tags,
  summary: 'Delete a webhook subscription (admins)',
  description: 'Nothing more is delivered to it; its delivery log is kept.',
  security,
  request: { params: IdParam },
  responses: { 204: noContent('Deleted'), ...pick(400, 401, 403, 404, 429) },
});

export const rotateWebhookSecretRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/{id}/rotate-secret',
  operationId: 'rotateWebhookSecret',
  tags,
  summary: 'Replace the signing secret (admins); the new one is shown once',
  description: 'Deliveries from now on are signed with the new secret; the old one stops being used at once.',
  security,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(WebhookSubscriptionWithSecret, 'The new secret', {
      subscription: subscriptionExample,
      secret: secretExample,
    }),
    ...pick(400, 401, 403, 404, 429),
  },
});

export const testWebhookRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/{id}/test',
  operationId: 'testWebhook',
  tags,
  summary: 'Send a `webhook.test` event to the subscription (admins)',
  description: 'Queues one delivery, retried and logged like any other; follow it in the delivery log.',
  security,
  request: { params: IdParam },
  responses: {
    202: jsonResponse(WebhookDeliverySchema, 'Queued', {
      ...deliveryExample,
      eventType: 'webhook.test',
      status: 'pending',
      attempts: 0,
    }),
    ...pick(400, 401, 403, 404, 429),
  },
});
