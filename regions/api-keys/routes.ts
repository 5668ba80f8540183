import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApiKeyRoute } from '../../openapi/routes/api-keys/create.ts';
import { listApiKeysRoute } from '../../openapi/routes/api-keys/list.ts';
import { revokeApiKeyRoute } from '../../openapi/routes/api-keys/revoke.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { createApiKey } from './create.ts';
import { listApiKeys } from './list.ts';
import { revokeApiKey } from './revoke.ts';

export function registerApiKeyRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createApiKeyRoute, async (c) => c.json(await createApiKey(ctx, actorOf(c), c.req.valid('json')), 201));
  app.openapi(listApiKeysRoute, async (c) => c.json(await listApiKeys(ctx, actorOf(c)), 200));
  app.openapi(revokeApiKeyRoute, async (c) => {
    await revokeApiKey(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
