import type { OpenAPIHono } from '@hono/zod-openapi';
import { createContactRoute } from '../../openapi/routes/contacts/create.ts';
import { deleteContactRoute } from '../../openapi/routes/contacts/delete.ts';
import { getContactRoute } from '../../openapi/routes/contacts/get.ts';
import { listContactsRoute } from '../../openapi/routes/contacts/list.ts';
import { updateContactRoute } from '../../openapi/routes/contacts/update.ts';
import { getContact360Route } from '../../openapi/routes/contacts/view-360.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { conditionalRead } from '../support/conditional-read.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { createContact } from './create.ts';
import { deleteContact } from './delete.ts';
import { getContact } from './get.ts';
import { listContacts } from './list.ts';
import { updateContact } from './update.ts';
import { getContact360 } from './view-360.ts';

export function registerContactRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createContactRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createContact(ctx, actorOf(c), c.req.valid('json'), key);
    return createdRecord(c, result, '/api/v1/contacts');
  });
  app.openapi(listContactsRoute, async (c) =>
    c.json(await listContacts(ctx, actorOf(c), c.req.valid('query'), c.req.query()), 200),
  );
  app.openapi(getContactRoute, async (c) => {
    const contact = await getContact(ctx, actorOf(c), c.req.valid('param').id);
    return conditionalRead(c, contact);
  });
  app.openapi(updateContactRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const contact = await updateContact(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(contact.version));
    return c.json(contact, 200);
  });
  app.openapi(deleteContactRoute, async (c) => {
    await deleteContact(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });
  app.openapi(getContact360Route, async (c) =>
    c.json(await getContact360(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
}
