import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApiKeyRoute } from '../openapi/routes/api-keys/create.ts';
import { listApiKeysRoute } from '../openapi/routes/api-keys/list.ts';
import { revokeApiKeyRoute } from '../openapi/routes/api-keys/revoke.ts';
import { acceptInviteRoute } from '../openapi/routes/auth/accept-invite.ts';
import { loginRoute } from '../openapi/routes/auth/login.ts';
import { logoutRoute } from '../openapi/routes/auth/logout.ts';
import { meRoute } from '../openapi/routes/auth/me.ts';
import { refreshRoute } from '../openapi/routes/auth/refresh.ts';
import { signupRoute } from '../openapi/routes/auth/signup.ts';
import { createLeadRoute } from '../openapi/routes/leads/create.ts';
import { deleteLeadRoute } from '../openapi/routes/leads/delete.ts';
import { getLeadRoute } from '../openapi/routes/leads/get.ts';
import { listLeadsRoute } from '../openapi/routes/leads/list.ts';
import { updateLeadRoute } from '../openapi/routes/leads/update.ts';
import { inviteUserRoute } from '../openapi/routes/users/invite.ts';
import { listUsersRoute } from '../openapi/routes/users/list.ts';
import { updateUserRoute } from '../openapi/routes/users/update.ts';
import { createApiKey } from './api-keys/create.ts';
import { listApiKeys } from './api-keys/list.ts';
import { revokeApiKey } from './api-keys/revoke.ts';
import { login } from './auth/login.ts';
import { logout } from './auth/logout.ts';
import { me } from './auth/me.ts';
import { refresh } from './auth/refresh.ts';
import { signup } from './auth/signup.ts';
import type { RegionContext } from './context.ts';
import { createLead } from './leads/create.ts';
import { deleteLead } from './leads/delete.ts';
import { getLead } from './leads/get.ts';
import { listLeads } from './leads/list.ts';
import { updateLead } from './leads/update.ts';
import { actorOf, type RegionEnv, requestMeta } from './support/actor.ts';
import { etagOf } from './support/views.ts';
import { acceptInvite } from './users/accept-invite.ts';
import { inviteUser } from './users/invite.ts';
import { listUsers } from './users/list.ts';
import { updateUser } from './users/update.ts';

/** The public API's routes as the region answers them: the same contract the edge validates, bound to services. */
export function registerApiRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
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

  app.openapi(createLeadRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createLead(ctx, actorOf(c), c.req.valid('json'), key);
    const lead = result.body as { id: string; version: number };
    c.header('ETag', etagOf(lead.version));
    c.header('Location', `/api/v1/leads/${lead.id}`);
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.body as never, 201);
  });
  app.openapi(listLeadsRoute, async (c) => c.json(await listLeads(ctx, actorOf(c), c.req.valid('query')), 200));
  app.openapi(getLeadRoute, async (c) => {
    const lead = await getLead(ctx, actorOf(c), c.req.valid('param').id);
    const etag = etagOf(lead.version);
    c.header('ETag', etag);
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.json(lead, 200);
  });
  app.openapi(updateLeadRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const lead = await updateLead(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(lead.version));
    return c.json(lead, 200);
  });
  app.openapi(deleteLeadRoute, async (c) => {
    await deleteLead(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });

  app.openapi(inviteUserRoute, async (c) => c.json(await inviteUser(ctx, actorOf(c), c.req.valid('json')), 201));
  app.openapi(listUsersRoute, async (c) => c.json(await listUsers(ctx, actorOf(c)), 200));
  app.openapi(updateUserRoute, async (c) =>
    c.json(await updateUser(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(createApiKeyRoute, async (c) => c.json(await createApiKey(ctx, actorOf(c), c.req.valid('json')), 201));
  app.openapi(listApiKeysRoute, async (c) => c.json(await listApiKeys(ctx, actorOf(c)), 200));
  app.openapi(revokeApiKeyRoute, async (c) => {
    await revokeApiKey(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
