import type { OpenAPIHono } from '@hono/zod-openapi';
import { listContactDuplicatesRoute } from '../../openapi/routes/contacts/duplicates.ts';
import { mergeContactRoute } from '../../openapi/routes/contacts/merge.ts';
import { listLeadDuplicatesRoute } from '../../openapi/routes/leads/duplicates.ts';
import { mergeLeadRoute } from '../../openapi/routes/leads/merge.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { etagOf } from '../support/views.ts';
import { listContactDuplicates, listLeadDuplicates } from './list.ts';
import { mergeContacts } from './merge-contacts.ts';
import { mergeLeads } from './merge-leads.ts';

export function registerDuplicateRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listLeadDuplicatesRoute, async (c) =>
    c.json(await listLeadDuplicates(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(listContactDuplicatesRoute, async (c) =>
    c.json(await listContactDuplicates(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(mergeLeadRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const lead = await mergeLeads(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(lead.version));
    return c.json(lead, 200);
  });
  app.openapi(mergeContactRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const contact = await mergeContacts(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(contact.version));
    return c.json(contact, 200);
  });
}
