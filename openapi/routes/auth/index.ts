import { home, type PublicOperation } from '../../operation.ts';
import { acceptInviteRoute } from './accept-invite.ts';
import { loginRoute } from './login.ts';
import { logoutRoute } from './logout.ts';
import { meRoute } from './me.ts';
import { refreshRoute } from './refresh.ts';
import { signupRoute } from './signup.ts';

export const authOperations: PublicOperation[] = [
  { route: signupRoute, target: { kind: 'signup' } },
  { route: loginRoute, target: { kind: 'login' } },
  { route: refreshRoute, target: { kind: 'token', field: 'refreshToken' } },
  { route: acceptInviteRoute, target: { kind: 'token', field: 'token' } },
  { route: logoutRoute, target: home },
  { route: meRoute, target: home, cacheable: true },
];
