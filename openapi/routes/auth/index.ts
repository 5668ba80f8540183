import { home, type PublicOperation } from '../../operation.ts';
import { acceptInviteRoute } from './accept-invite.ts';
import { confirmPasswordResetRoute } from './confirm-password-reset.ts';
import { confirmSignupRoute } from './confirm-signup.ts';
import { loginRoute } from './login.ts';
import { logoutRoute } from './logout.ts';
import { meRoute } from './me.ts';
import { refreshRoute } from './refresh.ts';
import { requestPasswordResetRoute } from './request-password-reset.ts';
import { signupRoute } from './signup.ts';
import { updateMeRoute } from './update-me.ts';

export const authOperations: PublicOperation[] = [
  { route: signupRoute, target: { kind: 'signup' } },
  { route: confirmSignupRoute, target: { kind: 'token', field: 'token' } },
  { route: loginRoute, target: { kind: 'login' } },
  { route: refreshRoute, target: { kind: 'token', field: 'refreshToken' } },
  { route: acceptInviteRoute, target: { kind: 'token', field: 'token' } },
  { route: requestPasswordResetRoute, target: { kind: 'login' } },
  { route: confirmPasswordResetRoute, target: { kind: 'token', field: 'token' } },
  { route: logoutRoute, target: home },
  { route: meRoute, target: home, cacheable: true },
  { route: updateMeRoute, target: home },
];
