import type { OpenAPIHono } from '@hono/zod-openapi';
import { erasePersonRoute } from '../../openapi/routes/privacy/erase.ts';
import { exportPersonRoute } from '../../openapi/routes/privacy/export.ts';
import { getRetentionRoute, updateRetentionRoute } from '../../openapi/routes/privacy/retention.ts';
import type { RegionContext } from '../context.ts';
import { getRetention, updateRetention } from '../retention/settings.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { erasePerson } from './erase-person.ts';
import { exportPerson } from './export.ts';

export function registerPrivacyRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(exportPersonRoute, async (c) => {
    const { type, id } = c.req.valid('param');
    c.header('Cache-Control', 'no-store');
    return c.json(await exportPerson(ctx, actorOf(c), type, id), 200);
  });
  app.openapi(erasePersonRoute, async (c) => {
    const { type, id } = c.req.valid('param');
    return c.json(await erasePerson(ctx, actorOf(c), type, id), 200);
  });
  app.openapi(getRetentionRoute, async (c) => c.json(await getRetention(ctx, actorOf(c)), 200));
  app.openapi(updateRetentionRoute, async (c) =>
    c.json(await updateRetention(ctx, actorOf(c), c.req.valid('json')), 200),
  );
}
