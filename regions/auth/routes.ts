import type { OpenAPIHono } from '@hono/zod-openapi';
import { acceptInviteRoute } from '../../openapi/routes/auth/accept-invite.ts';
import { loginRoute } from '../../openapi/routes/auth/login.ts';
import { logoutRoute } from '../../openapi/routes/auth/logout.ts';
import { meRoute } from '../../openapi/routes/auth/me.ts';
import { refreshRoute } from '../../openapi/routes/auth/refresh.ts';
import { signupRoute } from '../../openapi/routes/auth/signup.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv, requestMeta } from '../support/actor.ts';
import { acceptInvite } from '../users/accept-invite.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { me } from './me.ts';
import { refresh } from './refresh.ts';
import { signup } from './signup.ts';

export function registerAuthRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(signupRoute, async (c) => c.json(await signup(ctx, c.req.valid('json'), requestMeta(c)), 201));
  app.openapi(loginRoute, async (c) => c.json(await login(ctx, c.req.valid('json'), requestMeta(c)), 200));
  app.openapi(refreshRoute, async (c) => c.json(await refresh(ctx, c.req.valid('json'), requestMeta(c)), 200));
  app.openapi(acceptInviteRoute, async (c) =>
    c.json(await acceptInvite(ctx, c.req.valid('json'), requestMeta(c)), 200),
  );
  app.openapi(logoutRoute, async (c) => {
    await logout(ctx, actorOf(c));
    return c.body(null, 204);
  });
  app.openapi(meRoute, async (c) => c.json(await me(ctx, actorOf(c)), 200));
}
