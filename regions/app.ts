import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createErrorHandler, notFoundHandler, validationHook } from '../openapi/error-handlers.ts';
import { envelope } from '../openapi/errors.ts';
import { registerApiRoutes } from './api.ts';
import type { RegionContext } from './context.ts';
import { registerInternalRoutes } from './internal/routes.ts';
import { edgeSignature, requestTimer } from './middleware.ts';
import { registerOpsRoutes } from './ops/routes.ts';
import type { RegionEnv } from './support/actor.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createRegionApp(ctx: RegionContext) {
  const app = new OpenAPIHono<RegionEnv>({ defaultHook: validationHook });
  app.onError(
    createErrorHandler((error, c) =>
      ctx.log.error({ err: error, requestId: c.get('requestId'), route: c.req.routePath }, 'unhandled error'),
    ),
  );
  app.notFound(notFoundHandler);
  app.use('*', requestTimer(ctx));
  registerOpsRoutes(app, ctx);
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The unread rest of the upload leaves the socket unusable for another request.
        c.header('Connection', 'close');
        return envelope(c, 413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.use('/api/*', edgeSignature(ctx));
  app.use('/internal/*', edgeSignature(ctx));
  registerInternalRoutes(app, ctx);
  registerApiRoutes(app, ctx);
  return app;
}
