import { home, type PublicOperation } from '../../operation.ts';
import { listSessionsRoute } from './list.ts';
import { revokeSessionRoute } from './revoke.ts';
import { revokeOtherSessionsRoute } from './revoke-others.ts';
import { revokeUserSessionsRoute } from './revoke-user.ts';

export const sessionOperations: PublicOperation[] = [
  { route: listSessionsRoute, target: home },
  { route: revokeSessionRoute, target: home },
  { route: revokeOtherSessionsRoute, target: home },
  { route: revokeUserSessionsRoute, target: home },
];
