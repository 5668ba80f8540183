import type { OpenAPIHono } from '@hono/zod-openapi';
import { listAuditLogRoute } from '../../openapi/routes/audit/list.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { listAuditLog } from './list.ts';

export function registerAuditRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listAuditLogRoute, async (c) => c.json(await listAuditLog(ctx, actorOf(c), c.req.valid('query')), 200));
}
