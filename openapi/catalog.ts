import type { RouteConfig } from '@hono/zod-openapi';
import { createApiKeyRoute } from './routes/api-keys/create.ts';
import { listApiKeysRoute } from './routes/api-keys/list.ts';
import { revokeApiKeyRoute } from './routes/api-keys/revoke.ts';
import { acceptInviteRoute } from './routes/auth/accept-invite.ts';
import { loginRoute } from './routes/auth/login.ts';
import { logoutRoute } from './routes/auth/logout.ts';
import { meRoute } from './routes/auth/me.ts';
import { refreshRoute } from './routes/auth/refresh.ts';
import { signupRoute } from './routes/auth/signup.ts';
import { createLeadRoute } from './routes/leads/create.ts';
import { deleteLeadRoute } from './routes/leads/delete.ts';
import { getLeadRoute } from './routes/leads/get.ts';
import { listLeadsRoute } from './routes/leads/list.ts';
import { updateLeadRoute } from './routes/leads/update.ts';
import { inviteUserRoute } from './routes/users/invite.ts';
import { listUsersRoute } from './routes/users/list.ts';
import { updateUserRoute } from './routes/users/update.ts';

/**
 * How the edge reaches the region that answers a route:
 * - `home`: the caller's home region, from the verified token or API key;
 * - `signup`: the region named in the body (or the default one);
 * - `login`: the region the global directory names for the email;
 * - `token`: the region encoded in a routable token field of the body.
 */
export type Target = { kind: 'home' } | { kind: 'signup' } | { kind: 'login' } | { kind: 'token'; field: string };

export type PublicOperation = { route: RouteConfig; target: Target; cacheable?: boolean };

const home: Target = { kind: 'home' };

export const publicOperations: PublicOperation[] = [
  { route: signupRoute, target: { kind: 'signup' } },
  { route: loginRoute, target: { kind: 'login' } },
  { route: refreshRoute, target: { kind: 'token', field: 'refreshToken' } },
  { route: acceptInviteRoute, target: { kind: 'token', field: 'token' } },
  { route: logoutRoute, target: home },
  { route: meRoute, target: home, cacheable: true },
  { route: createLeadRoute, target: home },
  { route: listLeadsRoute, target: home, cacheable: true },
  { route: getLeadRoute, target: home, cacheable: true },
  { route: updateLeadRoute, target: home },
  { route: deleteLeadRoute, target: home },
  { route: inviteUserRoute, target: home },
  { route: listUsersRoute, target: home, cacheable: true },
  { route: updateUserRoute, target: home },
  { route: createApiKeyRoute, target: home },
  { route: listApiKeysRoute, target: home },
  { route: revokeApiKeyRoute, target: home },
];

export const needsPrincipal = (target: Target) => target.kind === 'home';
