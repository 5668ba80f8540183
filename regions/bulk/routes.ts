import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bulkCompaniesRoute } from '../../openapi/routes/bulk/companies.ts';
import { bulkContactsRoute } from '../../openapi/routes/bulk/contacts.ts';
import { bulkDealsRoute } from '../../openapi/routes/bulk/deals.ts';
import { bulkLeadsRoute } from '../../openapi/routes/bulk/leads.ts';
import { cancelBulkJobRoute } from '../../openapi/routes/bulk-jobs/cancel.ts';
import { getBulkJobRoute } from '../../openapi/routes/bulk-jobs/get.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import type { BulkResource } from './adapters.ts';
import { cancelBulkJob, getBulkJob } from './jobs.ts';
import { type BulkRequestBody, startBulk } from './start.ts';

export function registerBulkRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  /** 200 with the results when applied within the request, 202 with the job (and its URL) when it became one. */
  const answer = async (c: Context<RegionEnv>, resource: BulkResource, body: BulkRequestBody) => {
    const started = await startBulk(ctx, actorOf(c), resource, body);
    if (started.status === 200) return c.json(started.body, 200);
    c.header('Location', `/api/v1/bulk-jobs/${started.job.id}`);
    return c.json(started.job, 202);
  };
  app.openapi(bulkContactsRoute, (c) => answer(c, 'contacts', c.req.valid('json')) as never);
  app.openapi(bulkCompaniesRoute, (c) => answer(c, 'companies', c.req.valid('json')) as never);
  app.openapi(bulkDealsRoute, (c) => answer(c, 'deals', c.req.valid('json')) as never);
  app.openapi(bulkLeadsRoute, (c) => answer(c, 'leads', c.req.valid('json')) as never);
  app.openapi(getBulkJobRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await getBulkJob(ctx, actorOf(c), c.req.valid('param').id), 200);
  });
  app.openapi(cancelBulkJobRoute, async (c) =>
    c.json(await cancelBulkJob(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
}
