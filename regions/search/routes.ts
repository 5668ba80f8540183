import type { OpenAPIHono } from '@hono/zod-openapi';
import { searchRoute } from '../../openapi/routes/search/search.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { search } from './search.ts';

export function registerSearchRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(searchRoute, async (c) => c.json(await search(ctx, actorOf(c), c.req.valid('query')), 200));
}
