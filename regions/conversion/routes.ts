import type { OpenAPIHono } from '@hono/zod-openapi';
import { convertLeadRoute } from '../../openapi/routes/leads/convert.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { created } from '../support/created.ts';
import { convertLead } from './convert.ts';

export function registerConversionRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(convertLeadRoute, async (c) => {
    const headers = c.req.valid('header');
    const result = await convertLead(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json') ?? {}, {
      ifMatch: headers['if-match'],
      idempotencyKey: headers['idempotency-key'],
    });
    const body = result.body as { contact: { id: string } };
    return created(c, result, `/api/v1/contacts/${body.contact.id}`);
  });
}
