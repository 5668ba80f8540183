import type { OpenAPIHono } from '@hono/zod-openapi';
import { confirmMfaEnrolmentRoute } from '../../openapi/routes/mfa/confirm-enrolment.ts';
import { disableMfaRoute } from '../../openapi/routes/mfa/disable.ts';
import { getOrganizationSecurityRoute } from '../../openapi/routes/mfa/get-organization-security.ts';
import { getMfaStatusRoute } from '../../openapi/routes/mfa/get-status.ts';
import { mfaLoginRoute } from '../../openapi/routes/mfa/login.ts';
import { regenerateRecoveryCodesRoute } from '../../openapi/routes/mfa/regenerate-recovery-codes.ts';
import { resetUserMfaRoute } from '../../openapi/routes/mfa/reset-user.ts';
import { startMfaEnrolmentRoute } from '../../openapi/routes/mfa/start-enrolment.ts';
import { updateOrganizationSecurityRoute } from '../../openapi/routes/mfa/update-organization-security.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv, requestMeta } from '../support/actor.ts';
import { completeMfaLogin } from './challenge.ts';
import {
  confirmEnrolment,
  disableOwnMfa,
  disableUserMfa,
  getMfaStatus,
  regenerateRecoveryCodes,
  startEnrolment,
} from './enrolment.ts';
import { getOrganizationSecurity, updateOrganizationSecurity } from './organization-security.ts';

export function registerMfaRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(mfaLoginRoute, async (c) =>
    c.json(await completeMfaLogin(ctx, c.req.valid('json'), requestMeta(c)), 200),
  );
  app.openapi(getMfaStatusRoute, async (c) => c.json(await getMfaStatus(ctx, actorOf(c)), 200));
  app.openapi(startMfaEnrolmentRoute, async (c) => c.json(await startEnrolment(ctx, actorOf(c)), 200));
  app.openapi(confirmMfaEnrolmentRoute, async (c) =>
    c.json(await confirmEnrolment(ctx, actorOf(c), c.req.valid('json')), 200),
  );
  app.openapi(regenerateRecoveryCodesRoute, async (c) =>
    c.json(await regenerateRecoveryCodes(ctx, actorOf(c), c.req.valid('json')), 200),
  );
  app.openapi(disableMfaRoute, async (c) => c.json(await disableOwnMfa(ctx, actorOf(c), c.req.valid('json')), 200));
  app.openapi(resetUserMfaRoute, async (c) => {
    await disableUserMfa(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(getOrganizationSecurityRoute, async (c) => c.json(await getOrganizationSecurity(ctx, actorOf(c)), 200));
  app.openapi(updateOrganizationSecurityRoute, async (c) =>
    c.json(await updateOrganizationSecurity(ctx, actorOf(c), c.req.valid('json')), 200),
  );
}
