import type { OpenAPIHono } from '@hono/zod-openapi';
import { countLeadsRoute } from '../../openapi/routes/leads/count.ts';
import { createLeadRoute } from '../../openapi/routes/leads/create.ts';
import { deleteLeadRoute } from '../../openapi/routes/leads/delete.ts';
import { getLeadRoute } from '../../openapi/routes/leads/get.ts';
import { listLeadsRoute } from '../../openapi/routes/leads/list.ts';
import { updateLeadRoute } from '../../openapi/routes/leads/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { createLead } from './create.ts';
import { deleteLead } from './delete.ts';
import { getLead } from './get.ts';
import { countLeads, listLeads } from './list.ts';
import { updateLead } from './update.ts';

export function registerLeadRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createLeadRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createLead(ctx, actorOf(c), c.req.valid('json'), key);
    c.header('Possible-Duplicates', String(result.possibleDuplicates));
    return createdRecord(c, result, '/api/v1/leads');
  });
  app.openapi(listLeadsRoute, async (c) =>
    c.json(await listLeads(ctx, actorOf(c), c.req.valid('query'), c.req.query()), 200),
  );
  // Registered before getLead, whose {id} would otherwise take `count`.
  app.openapi(countLeadsRoute, async (c) =>
    c.json(await countLeads(ctx, actorOf(c), c.req.valid('query'), c.req.query()), 200),
  );
  app.openapi(getLeadRoute, async (c) => {
    const lead = await getLead(ctx, actorOf(c), c.req.valid('param').id);
    const etag = etagOf(lead.version);
    c.header('ETag', etag);
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.json(lead, 200);
  });
  app.openapi(updateLeadRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const lead = await updateLead(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(lead.version));
    return c.json(lead, 200);
  });
  app.openapi(deleteLeadRoute, async (c) => {
    await deleteLead(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });
}
