import type { OpenAPIHono } from '@hono/zod-openapi';
import { loseDealRoute, winDealRoute } from '../../openapi/routes/deals/close.ts';
import { createDealRoute } from '../../openapi/routes/deals/create.ts';
import { deleteDealRoute } from '../../openapi/routes/deals/delete.ts';
import { getDealRoute } from '../../openapi/routes/deals/get.ts';
import { listDealsRoute } from '../../openapi/routes/deals/list.ts';
import { listStageChangesRoute } from '../../openapi/routes/deals/stage-changes.ts';
import { updateDealRoute } from '../../openapi/routes/deals/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { conditionalRead } from '../support/conditional-read.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { closeDeal } from './close.ts';
import { createDeal } from './create.ts';
import { deleteDeal } from './delete.ts';
import { getDeal } from './get.ts';
import { listDeals } from './list.ts';
import { listStageChanges } from './stage-changes.ts';
import { updateDeal } from './update.ts';

export function registerDealRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createDealRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createDeal(ctx, actorOf(c), c.req.valid('json'), key);
    return createdRecord(c, result, '/api/v1/deals');
  });
  app.openapi(listDealsRoute, async (c) =>
    c.json(await listDeals(ctx, actorOf(c), c.req.valid('query'), c.req.query()), 200),
  );
  app.openapi(getDealRoute, async (c) => {
    const deal = await getDeal(ctx, actorOf(c), c.req.valid('param').id);
    return conditionalRead(c, deal);
  });
  app.openapi(updateDealRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const deal = await updateDeal(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(deal.version));
    return c.json(deal, 200);
  });
  app.openapi(deleteDealRoute, async (c) => {
    await deleteDeal(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });
  app.openapi(winDealRoute, async (c) => {
    const reason = (c.req.valid('json') as { reason?: string } | undefined)?.reason ?? null;
    const ifMatch = c.req.valid('header')['if-match'];
    const deal = await closeDeal(ctx, actorOf(c), c.req.valid('param').id, 'won', reason, ifMatch);
    c.header('ETag', etagOf(deal.version));
    return c.json(deal, 200);
  });
  app.openapi(loseDealRoute, async (c) => {
    const { reason } = c.req.valid('json');
    const ifMatch = c.req.valid('header')['if-match'];
    const deal = await closeDeal(ctx, actorOf(c), c.req.valid('param').id, 'lost', reason, ifMatch);
    c.header('ETag', etagOf(deal.version));
    return c.json(deal, 200);
  });
  app.openapi(listStageChangesRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await listStageChanges(ctx, actorOf(c), id, c.req.valid('query')), 200);
  });
}
