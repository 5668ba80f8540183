import type { OpenAPIHono } from '@hono/zod-openapi';
import { createWatchRoute } from '../../openapi/routes/watches/create.ts';
import { deleteWatchRoute } from '../../openapi/routes/watches/delete.ts';
import { listWatchesRoute } from '../../openapi/routes/watches/list.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { createWatch } from './create.ts';
import { deleteWatch } from './delete.ts';
import { listWatches } from './list.ts';

export function registerWatchRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createWatchRoute, async (c) => {
    const { created, watch } = await createWatch(ctx, actorOf(c), c.req.valid('json'));
    if (!created) return c.json(watch, 200);
    c.header('Location', `/api/v1/watches/${watch.id}`);
    return c.json(watch, 201);
  });
  app.openapi(listWatchesRoute, async (c) => c.json(await listWatches(ctx, actorOf(c), c.req.valid('query')), 200));
  app.openapi(deleteWatchRoute, async (c) => {
    await deleteWatch(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
