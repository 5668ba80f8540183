import type { OpenAPIHono } from '@hono/zod-openapi';
import { createCustomFieldRoute } from '../../openapi/routes/custom-fields/create.ts';
import { deleteCustomFieldRoute } from '../../openapi/routes/custom-fields/delete.ts';
import { listCustomFieldsRoute } from '../../openapi/routes/custom-fields/list.ts';
import { updateCustomFieldRoute } from '../../openapi/routes/custom-fields/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { created } from '../support/created.ts';
import { createCustomField } from './create.ts';
import { deleteCustomField } from './delete.ts';
import { listCustomFields } from './list.ts';
import { updateCustomField } from './update.ts';

export function registerCustomFieldRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createCustomFieldRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createCustomField(ctx, actorOf(c), c.req.valid('json'), key);
    return created(c, result, `/api/v1/custom-fields/${(result.body as { id: string }).id}`);
  });
  app.openapi(listCustomFieldsRoute, async (c) =>
    c.json(await listCustomFields(ctx, actorOf(c), c.req.valid('query')), 200),
  );
  app.openapi(updateCustomFieldRoute, async (c) =>
    c.json(await updateCustomField(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(deleteCustomFieldRoute, async (c) => {
    await deleteCustomField(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
