import type { OpenAPIHono } from '@hono/zod-openapi';
import { cancelImportRoute } from '../../openapi/routes/imports/cancel.ts';
import { createImportRoute } from '../../openapi/routes/imports/create.ts';
import { importErrorsRoute } from '../../openapi/routes/imports/errors.ts';
import { getImportRoute } from '../../openapi/routes/imports/get.ts';
import { listImportsRoute } from '../../openapi/routes/imports/list.ts';
import { previewImportRoute } from '../../openapi/routes/imports/preview.ts';
import { startImportRoute } from '../../openapi/routes/imports/start.ts';
import { updateImportRoute } from '../../openapi/routes/imports/update.ts';
import type { RegionContext } from '../context.ts';
import { uploadBodyOf } from '../middleware.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { created } from '../support/created.ts';
import { cancelImport } from './cancel.ts';
import { createImport } from './create.ts';
import { importErrors } from './errors.ts';
import { previewImport } from './preview.ts';
import { getImport, listImports } from './read.ts';
import { startImport } from './start.ts';
import { updateImport } from './update.ts';

/**
 * The upload route without its form body: the contract's form validator would read the whole body into memory to
 * parse it; the handler parses it as a stream instead (createImport) and validates the form's fields itself.
 */
const streamedCreateImportRoute = { ...createImportRoute, request: { headers: createImportRoute.request.headers } };

export function registerImportRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(streamedCreateImportRoute, async (c) => {
    const upload = { body: await uploadBodyOf(c), contentType: c.req.header('content-type') ?? '' };
    const result = await createImport(ctx, actorOf(c), upload, c.req.valid('header')['idempotency-key']);
    const view = result.body as { id: string; updatedAt: string };
    c.header('ETag', `"v${Date.parse(view.updatedAt)}"`);
    return created(c, result, `/api/v1/imports/${view.id}`);
  });
  app.openapi(listImportsRoute, async (c) => c.json(await listImports(ctx, actorOf(c), c.req.valid('query')), 200));
  app.openapi(getImportRoute, async (c) => {
    const { view, etag } = await getImport(ctx, actorOf(c), c.req.valid('param').id);
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-store');
    return c.json(view, 200);
  });
  app.openapi(updateImportRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const { view, etag } = await updateImport(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etag);
    return c.json(view, 200);
  });
  app.openapi(previewImportRoute, async (c) =>
    c.json(await previewImport(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(startImportRoute, async (c) => c.json(await startImport(ctx, actorOf(c), c.req.valid('param').id), 202));
  app.openapi(cancelImportRoute, async (c) =>
    c.json(await cancelImport(ctx, actorOf(c), c.req.valid('param').id), 202),
  );
  // A stream of the stored report, not JSON: the route's typed responses cannot describe it.
  app.openapi(importErrorsRoute, async (c) => (await importErrors(ctx, actorOf(c), c.req.valid('param').id)) as never);
}
