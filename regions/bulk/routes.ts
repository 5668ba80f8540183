import type { OpenAPIHono } from '@hono/zod-openapi';
import { bulkCompaniesRoute } from '../../openapi/routes/bulk/companies.ts';
import { bulkContactsRoute } from '../../openapi/routes/bulk/contacts.ts';
import { bulkDealsRoute } from '../../openapi/routes/bulk/deals.ts';
import { bulkLeadsRoute } from '../../openapi/routes/bulk/leads.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { companyBulk } from './companies.ts';
import { contactBulk } from './contacts.ts';
import { dealBulk } from './deals.ts';
import { leadBulk } from './leads.ts';
import { runBulk } from './run.ts';

export function registerBulkRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(bulkContactsRoute, async (c) =>
    c.json(await runBulk(ctx, actorOf(c), contactBulk, c.req.valid('json')), 200),
  );
  app.openapi(bulkCompaniesRoute, async (c) =>
    c.json(await runBulk(ctx, actorOf(c), companyBulk, c.req.valid('json')), 200),
  );
  app.openapi(bulkDealsRoute, async (c) => c.json(await runBulk(ctx, actorOf(c), dealBulk, c.req.valid('json')), 200));
  app.openapi(bulkLeadsRoute, async (c) => c.json(await runBulk(ctx, actorOf(c), leadBulk, c.req.valid('json')), 200));
}
