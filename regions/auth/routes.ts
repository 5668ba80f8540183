import type { OpenAPIHono } from '@hono/zod-openapi';
import { acceptInviteRoute } from '../../openapi/routes/auth/accept-invite.ts';
import { confirmPasswordResetRoute } from '../../openapi/routes/auth/confirm-password-reset.ts';
import { confirmSignupRoute } from '../../openapi/routes/auth/confirm-signup.ts';
import { loginRoute } from '../../openapi/routes/auth/login.ts';
import { logoutRoute } from '../../openapi/routes/auth/logout.ts';
import { meRoute } from '../../openapi/routes/auth/me.ts';
import { refreshRoute } from '../../openapi/routes/auth/refresh.ts';
import {
  passwordResetRequestedAnswer,
  requestPasswordResetRoute,
} from '../../openapi/routes/auth/request-password-reset.ts';
import { signupConfirmationSentAnswer, signupRoute } from '../../openapi/routes/auth/signup.ts';
import { updateMeRoute } from '../../openapi/routes/auth/update-me.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv, requestMeta } from '../support/actor.ts';
import { acceptInvite } from '../users/accept-invite.ts';
import { LoginLockedError } from './lockout.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { me } from './me.ts';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.ts';
import { refresh } from './refresh.ts';
import { signup } from './signup.ts';
import { confirmSignup, requestSignup } from './signup-confirmation.ts';
import { updateMe } from './update-me.ts';

export function registerAuthRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(signupRoute, async (c) => {
    if (ctx.signupConfirmation !== 'email') return c.json(await signup(ctx, c.req.valid('json'), requestMeta(c)), 201);
    await requestSignup(ctx, c.req.valid('json'), requestMeta(c));
    return c.json(signupConfirmationSentAnswer, 202);
  });
  app.openapi(confirmSignupRoute, async (c) =>
    c.json(await confirmSignup(ctx, c.req.valid('json'), requestMeta(c)), 201),
  );
  app.openapi(loginRoute, async (c) => {
    try {
      return c.json(await login(ctx, c.req.valid('json'), requestMeta(c)), 200);
    } catch (error) {
      // The envelope is written by the error handler; the header set here goes with it.
      if (error instanceof LoginLockedError) c.header('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  });
  app.openapi(refreshRoute, async (c) => c.json(await refresh(ctx, c.req.valid('json'), requestMeta(c)), 200));
  app.openapi(acceptInviteRoute, async (c) =>
    c.json(await acceptInvite(ctx, c.req.valid('json'), requestMeta(c)), 200),
  );
  app.openapi(requestPasswordResetRoute, async (c) => {
    await requestPasswordReset(ctx, c.req.valid('json'), requestMeta(c));
    return c.json(passwordResetRequestedAnswer, 202);
  });
  app.openapi(confirmPasswordResetRoute, async (c) => {
    await confirmPasswordReset(ctx, c.req.valid('json'), requestMeta(c));
    return c.body(null, 204);
  });
  app.openapi(logoutRoute, async (c) => {
    await logout(ctx, actorOf(c));
    return c.body(null, 204);
  });
  app.openapi(meRoute, async (c) => c.json(await me(ctx, actorOf(c)), 200));
  app.openapi(updateMeRoute, async (c) => c.json(await updateMe(ctx, actorOf(c), c.req.valid('json')), 200));
}
