import { zValidator } from '@hono/zod-validator';
import { count } from 'drizzle-orm';
import type { Hono } from 'hono';
import { z } from 'zod';
import { scatterGather } from '../../db/scatter.ts';
import { tenantPlacements } from '../../db/schema/index.ts';
import { validationHook } from '../../openapi/error-handlers.ts';
import { ApiError } from '../../openapi/errors.ts';
import { resolveApiKey } from '../api-keys/resolve.ts';
import type { RegionContext } from '../context.ts';
import type { RegionEnv } from '../support/actor.ts';
import { registerLoginThrottleRoutes } from './login-throttle.ts';
import { registerSsoDirectoryRoutes } from './sso-directory.ts';

const Slug = z.string().min(1).max(100);
const Email = z.string().min(3).max(254);
const OrgEntry = z.strictObject({ slug: Slug, organizationId: z.uuid(), region: z.string().min(1).max(16) });
const LoginEntry = z.strictObject({
  email: Email,
  organizationId: z.uuid(),
  userId: z.uuid(),
  region: z.string().min(1).max(16),
});

/** Calls only the edge and peer regions make (all signed): the directory, API-key lookup, platform stats. */
export function registerInternalRoutes(app: Hono<RegionEnv>, ctx: RegionContext) {
  const v = <T extends z.ZodType>(schema: T) => zValidator('json', schema, validationHook);
  const { directory } = ctx;
  app.post('/internal/directory/claim-organization', v(OrgEntry), async (c) =>
    c.json({ result: await directory.claimOrganization(c.req.valid('json')) }),
  );
  app.post('/internal/directory/claim-login', v(LoginEntry), async (c) =>
    c.json({ result: await directory.claimLogin(c.req.valid('json')) }),
  );
  app.post(
    '/internal/directory/release',
    v(z.strictObject({ slug: Slug.optional(), email: Email.optional() })),
    async (c) => {
      await directory.release(c.req.valid('json'));
      return c.json({ result: null });
    },
  );
  app.post('/internal/directory/find-login', v(z.strictObject({ email: Email })), async (c) =>
    c.json({ result: await directory.findLogin(c.req.valid('json').email.trim().toLowerCase()) }),
  );
  app.post('/internal/directory/find-organization', v(z.strictObject({ slug: Slug })), async (c) =>
    c.json({ result: await directory.findOrganization(c.req.valid('json').slug) }),
  );
  registerSsoDirectoryRoutes(app, ctx);
  registerLoginThrottleRoutes(app, ctx);
  app.post('/internal/auth/api-key', v(z.strictObject({ key: z.string().min(1).max(200) })), async (c) => {
    const principal = await resolveApiKey(ctx, c.req.valid('json').key);
    if (!principal) throw new ApiError(401, 'invalid_api_key', 'The API key is not valid or was revoked');
    return c.json({ principal });
  });
  app.get('/internal/admin/stats', async (c) => {
    const answers = await scatterGather(ctx.shards.all(), async (shard) => {
      const [row] = await shard.db.select({ organizations: count() }).from(tenantPlacements);
      return { organizations: row?.organizations ?? 0 };
    });
    const organizations = answers.reduce((sum, a) => sum + (a.ok ? a.value.organizations : 0), 0);
    return c.json({ region: ctx.region, shardMapVersion: ctx.shards.map.version, organizations, shards: answers });
  });
}
