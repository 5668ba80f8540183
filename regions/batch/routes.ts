import type { OpenAPIHono } from '@hono/zod-openapi';
import { batchLeadsRoute } from '../../openapi/routes/batch/route.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { leadBatch } from './leads.ts';
import { runBatch } from './run.ts';

export function registerBatchRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(batchLeadsRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await runBatch(ctx, actorOf(c), leadBatch, c.req.valid('json'), key);
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.body, 200);
  });
}
