import type { OpenAPIHono } from '@hono/zod-openapi';
import { registerApiKeyRoutes } from './api-keys/routes.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import type { RegionContext } from './context.ts';
import { registerLeadRoutes } from './leads/routes.ts';
import type { RegionEnv } from './support/actor.ts';
import { registerUserRoutes } from './users/routes.ts';

/** The public API's routes as the region answers them: the same contract the edge validates, bound to services. */
export function registerApiRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  registerAuthRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerApiKeyRoutes(app, ctx);
  registerLeadRoutes(app, ctx);
}
