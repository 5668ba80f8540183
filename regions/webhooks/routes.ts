import type { OpenAPIHono } from '@hono/zod-openapi';
import { listWebhookDeliveriesRoute, replayWebhookDeliveryRoute } from '../../openapi/routes/webhooks/deliveries.ts';
import {
  createInboundEndpointRoute,
  deleteInboundEndpointRoute,
  listInboundEndpointsRoute,
  receiveInboundRoute,
} from '../../openapi/routes/webhooks/inbound.ts';
import {
  createWebhookRoute,
  deleteWebhookRoute,
  getWebhookRoute,
  listWebhooksRoute,
  rotateWebhookSecretRoute,
  testWebhookRoute,
  updateWebhookRoute,
} from '../../openapi/routes/webhooks/subscriptions.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv, requestMeta } from '../support/actor.ts';
import { listWebhookDeliveries, replayWebhookDelivery } from './deliveries.ts';
import { createInboundEndpoint, deleteInboundEndpoint, listInboundEndpoints } from './inbound.ts';
import { receiveInbound } from './receive.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from './subscriptions.ts';

export function registerWebhookRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createWebhookRoute, async (c) => c.json(await createWebhook(ctx, actorOf(c), c.req.valid('json')), 201));
  app.openapi(listWebhooksRoute, async (c) => c.json(await listWebhooks(ctx, actorOf(c)), 200));
  app.openapi(getWebhookRoute, async (c) => c.json(await getWebhook(ctx, actorOf(c), c.req.valid('param').id), 200));
  app.openapi(updateWebhookRoute, async (c) =>
    c.json(await updateWebhook(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(deleteWebhookRoute, async (c) => {
    await deleteWebhook(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(rotateWebhookSecretRoute, async (c) =>
    c.json(await rotateWebhookSecret(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(testWebhookRoute, async (c) => c.json(await testWebhook(ctx, actorOf(c), c.req.valid('param').id), 202));
  app.openapi(listWebhookDeliveriesRoute, async (c) =>
    c.json(await listWebhookDeliveries(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(replayWebhookDeliveryRoute, async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    return c.json(await replayWebhookDelivery(ctx, actorOf(c), id, deliveryId), 202);
  });
  app.openapi(createInboundEndpointRoute, async (c) =>
    c.json(await createInboundEndpoint(ctx, actorOf(c), c.req.valid('json')), 201),
  );
  app.openapi(listInboundEndpointsRoute, async (c) => c.json(await listInboundEndpoints(ctx, actorOf(c)), 200));
  app.openapi(deleteInboundEndpointRoute, async (c) => {
    await deleteInboundEndpoint(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(receiveInboundRoute, async (c) => {
    const result = await receiveInbound(ctx, c.req.valid('param').token, c.req.valid('json'), requestMeta(c));
    return c.json(result as never, 201);
  });
}
