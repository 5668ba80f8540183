import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  batchCompaniesRoute,
  batchContactsRoute,
  batchDealsRoute,
  batchLeadsRoute,
} from '../../openapi/routes/batch/route.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { companyBatch } from './companies.ts';
import { contactBatch } from './contacts.ts';
import { dealBatch } from './deals.ts';
import { leadBatch } from './leads.ts';
import { type BatchAdapter, runBatch } from './run.ts';

export function registerBatchRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  const register = <I>(route: typeof batchLeadsRoute, adapter: BatchAdapter<I>) =>
    app.openapi(route, async (c) => {
      const key = c.req.valid('header')['idempotency-key'];
      const result = await runBatch(ctx, actorOf(c), adapter, c.req.valid('json'), key);
      if (result.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(result.body, 200);
    });
  register(batchLeadsRoute, leadBatch);
  register(batchContactsRoute, contactBatch);
  register(batchCompaniesRoute, companyBatch);
  register(batchDealsRoute, dealBatch);
}
