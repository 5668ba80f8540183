import { zValidator } from '@hono/zod-validator';
import type { Hono } from 'hono';
import { z } from 'zod';
import { validationHook } from '../../openapi/error-handlers.ts';
import type { RegionContext } from '../context.ts';
import { emailDomainOf } from '../sso/domain-name.ts';
import type { RegionEnv } from '../support/actor.ts';

const Domain = z.string().min(1).max(253);
const Region = z.string().min(1).max(16);

/**
 * The directory's verified SSO domains, for peers (signed like the rest of /internal/directory), and for the edge:
 * `find-sso-region` names the region an SSO sign-in by this email goes to (its domain's, else its login's).
 */
export function registerSsoDirectoryRoutes(app: Hono<RegionEnv>, ctx: RegionContext) {
  const v = <T extends z.ZodType>(schema: T) => zValidator('json', schema, validationHook);
  const { directory } = ctx;
  app.post(
    '/internal/directory/claim-sso-domain',
    v(z.strictObject({ domain: Domain, organizationId: z.uuid(), region: Region, requireSso: z.boolean() })),
    async (c) => c.json({ result: await directory.claimSsoDomain(c.req.valid('json')) }),
  );
  app.post(
    '/internal/directory/release-sso-domain',
    v(z.strictObject({ domain: Domain, organizationId: z.uuid() })),
    async (c) => {
      await directory.releaseSsoDomain(c.req.valid('json'));
      return c.json({ result: null });
    },
  );
  app.post('/internal/directory/find-sso-domain', v(z.strictObject({ domain: Domain })), async (c) =>
    c.json({ result: await directory.findSsoDomain(c.req.valid('json').domain) }),
  );
  app.post('/internal/directory/find-sso-region', v(z.strictObject({ email: z.string().max(254) })), async (c) => {
    const email = c.req.valid('json').email.trim().toLowerCase();
    const domain = emailDomainOf(email);
    const entry = domain ? await directory.findSsoDomain(domain) : null;
    const region = entry?.region ?? (await directory.findLogin(email))?.region ?? null;
    return c.json({ result: region ? { region } : null });
  });
}
