import type { OpenAPIHono } from '@hono/zod-openapi';
import { discardDeadJobRoute } from '../../openapi/routes/jobs/discard.ts';
import { listDeadJobsRoute } from '../../openapi/routes/jobs/list.ts';
import { retryDeadJobRoute } from '../../openapi/routes/jobs/retry.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { discardDeadJob } from './discard-dead.ts';
import { listDeadJobs } from './list-dead.ts';
import { retryDeadJob } from './retry-dead.ts';

export function registerJobRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listDeadJobsRoute, async (c) => c.json(await listDeadJobs(ctx, actorOf(c), c.req.valid('query')), 200));
  app.openapi(retryDeadJobRoute, async (c) => {
    const { queue, id } = c.req.valid('param');
    return c.json(await retryDeadJob(ctx, actorOf(c), queue, id), 202);
  });
  app.openapi(discardDeadJobRoute, async (c) => {
    const { queue, id } = c.req.valid('param');
    await discardDeadJob(ctx, actorOf(c), queue, id);
    return c.body(null, 204);
  });
}
