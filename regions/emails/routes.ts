import type { OpenAPIHono } from '@hono/zod-openapi';
import { bulkEmailRoute } from '../../openapi/routes/emails/bulk.ts';
import { getEmailRoute, listEmailsRoute } from '../../openapi/routes/emails/list.ts';
import { sendEmailRoute } from '../../openapi/routes/emails/send.ts';
import {
  addSuppressionRoute,
  listSuppressionsRoute,
  removeSuppressionRoute,
} from '../../openapi/routes/emails/suppressions.ts';
import { unsubscribeLinkRoute, unsubscribeOneClickRoute } from '../../openapi/routes/emails/unsubscribe.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv, requestMeta } from '../support/actor.ts';
import { sendBulkEmail } from './bulk.ts';
import { getEmail, listEmails } from './list.ts';
import { sendEmailToContact } from './send.ts';
import { addSuppression, listSuppressions, removeSuppression } from './suppressions.ts';
import { unsubscribe } from './unsubscribe.ts';

export function registerEmailRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(sendEmailRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await sendEmailToContact(ctx, actorOf(c), c.req.valid('json'), key);
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.body as never, 202);
  });
  app.openapi(bulkEmailRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await sendBulkEmail(ctx, actorOf(c), c.req.valid('json'), key);
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.body as never, 202);
  });
  app.openapi(listEmailsRoute, async (c) => c.json(await listEmails(ctx, actorOf(c), c.req.valid('query')), 200));
  app.openapi(getEmailRoute, async (c) => c.json(await getEmail(ctx, actorOf(c), c.req.valid('param').id), 200));
  app.openapi(listSuppressionsRoute, async (c) =>
    c.json(await listSuppressions(ctx, actorOf(c), c.req.valid('query')), 200),
  );
  app.openapi(addSuppressionRoute, async (c) =>
    c.json(await addSuppression(ctx, actorOf(c), c.req.valid('json')), 200),
  );
  app.openapi(removeSuppressionRoute, async (c) => {
    await removeSuppression(ctx, actorOf(c), c.req.valid('param').address);
    return c.body(null, 204);
  });
  // No principal: the signed token says whose address it is.
  app.openapi(unsubscribeLinkRoute, async (c) =>
    c.json(await unsubscribe(ctx, c.req.valid('query').token, requestMeta(c)), 200),
  );
  app.openapi(unsubscribeOneClickRoute, async (c) =>
    c.json(await unsubscribe(ctx, c.req.valid('query').token, requestMeta(c)), 200),
  );
}
