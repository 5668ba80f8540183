import type { OpenAPIHono } from '@hono/zod-openapi';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
import { validationHook } from '../../openapi/error-handlers.ts';
import { createFormRoute } from '../../openapi/routes/forms/create.ts';
import { deleteFormRoute } from '../../openapi/routes/forms/delete.ts';
import { getFormRoute, listFormsRoute } from '../../openapi/routes/forms/list.ts';
import { updateFormRoute } from '../../openapi/routes/forms/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv, requestMeta } from '../support/actor.ts';
import { etagOf } from '../support/views.ts';
import { createForm } from './create.ts';
import { deleteForm } from './delete.ts';
import { getForm, listForms } from './list.ts';
import { findPublicDefinition } from './public.ts';
import { submitForm } from './submit.ts';
import { updateForm } from './update.ts';

const PublicId = z.string().min(1).max(120);
const Submission = z.strictObject({
  publicId: PublicId,
  values: z.record(z.string().max(100), z.union([z.string().max(10_000), z.boolean()])),
  origin: z.string().max(200).nullable(),
  pageUrl: z.string().max(2000).nullable(),
});

export function registerFormRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listFormsRoute, async (c) => c.json(await listForms(ctx, actorOf(c)), 200));
  app.openapi(createFormRoute, async (c) => {
    const form = await createForm(ctx, actorOf(c), c.req.valid('json'));
    c.header('ETag', etagOf(form.version));
    return c.json(form, 201);
  });
  app.openapi(getFormRoute, async (c) => {
    const form = await getForm(ctx, actorOf(c), c.req.valid('param').id);
    c.header('ETag', etagOf(form.version));
    return c.json(form, 200);
  });
  app.openapi(updateFormRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const form = await updateForm(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(form.version));
    return c.json(form, 200);
  });
  app.openapi(deleteFormRoute, async (c) => {
    await deleteForm(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });

  // The edge's own calls (signed, like every /internal route): the public definition it serves the script from
  // and checks origins against, and a submission it has already screened.
  const v = <T extends z.ZodType>(schema: T) => zValidator('json', schema, validationHook);
  app.post('/internal/forms/definition', v(z.strictObject({ publicId: PublicId })), async (c) =>
    c.json({ form: await findPublicDefinition(ctx, c.req.valid('json').publicId) }),
  );
  app.post('/internal/forms/submit', v(Submission), async (c) => {
    const { publicId, values, origin, pageUrl } = c.req.valid('json');
    return c.json(await submitForm(ctx, publicId, values, { ...requestMeta(c), origin, pageUrl }), 201);
  });
}
