import type { OpenAPIHono } from '@hono/zod-openapi';
import { listSessionsRoute } from '../../openapi/routes/sessions/list.ts';
import { revokeSessionRoute } from '../../openapi/routes/sessions/revoke.ts';
import { revokeOtherSessionsRoute } from '../../openapi/routes/sessions/revoke-others.ts';
import { revokeUserSessionsRoute } from '../../openapi/routes/sessions/revoke-user.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { listSessions, revokeOtherSessions, revokeSession, revokeUserSessions } from './sessions.ts';

export function registerSessionRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listSessionsRoute, async (c) => c.json(await listSessions(ctx, actorOf(c)), 200));
  app.openapi(revokeSessionRoute, async (c) => {
    await revokeSession(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(revokeOtherSessionsRoute, async (c) => c.json(await revokeOtherSessions(ctx, actorOf(c)), 200));
  app.openapi(revokeUserSessionsRoute, async (c) =>
    c.json(await revokeUserSessions(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
}
