import type { OpenAPIHono } from '@hono/zod-openapi';
import { inviteUserRoute } from '../../openapi/routes/users/invite.ts';
import { listUsersRoute } from '../../openapi/routes/users/list.ts';
import { updateUserRoute } from '../../openapi/routes/users/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { inviteUser } from './invite.ts';
import { listUsers } from './list.ts';
import { updateUser } from './update.ts';

export function registerUserRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(inviteUserRoute, async (c) => c.json(await inviteUser(ctx, actorOf(c), c.req.valid('json')), 201));
  app.openapi(listUsersRoute, async (c) => c.json(await listUsers(ctx, actorOf(c)), 200));
  app.openapi(updateUserRoute, async (c) =>
    c.json(await updateUser(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
}
