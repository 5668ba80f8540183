import type { OpenAPIHono } from '@hono/zod-openapi';
import { createSavedViewRoute } from '../../openapi/routes/saved-views/create.ts';
import { deleteSavedViewRoute } from '../../openapi/routes/saved-views/delete.ts';
import { getSavedViewRoute } from '../../openapi/routes/saved-views/get.ts';
import { listSavedViewsRoute } from '../../openapi/routes/saved-views/list.ts';
import { updateSavedViewRoute } from '../../openapi/routes/saved-views/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { created } from '../support/created.ts';
import { createSavedView } from './create.ts';
import { deleteSavedView } from './delete.ts';
import { getSavedView } from './get.ts';
import { listSavedViews } from './list.ts';
import { updateSavedView } from './update.ts';

export function registerSavedViewRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createSavedViewRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createSavedView(ctx, actorOf(c), c.req.valid('json'), key);
    return created(c, result, `/api/v1/saved-views/${(result.body as { id: string }).id}`);
  });
  app.openapi(listSavedViewsRoute, async (c) =>
    c.json(await listSavedViews(ctx, actorOf(c), c.req.valid('query')), 200),
  );
  app.openapi(getSavedViewRoute, async (c) =>
    c.json(await getSavedView(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(updateSavedViewRoute, async (c) =>
    c.json(await updateSavedView(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(deleteSavedViewRoute, async (c) => {
    await deleteSavedView(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
