import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { isRead } from '../edge/protocol/methods.ts';
import { createErrorHandler, notFoundHandler, validationHook } from '../openapi/error-handlers.ts';
import { envelope } from '../openapi/errors.ts';
import { BATCH_MAX_BODY_BYTES, isBatchRequest } from '../openapi/routes/batch/limit.ts';
import { uploadKindOf } from '../openapi/uploads.ts';
import { registerApiRoutes } from './api.ts';
import type { RegionContext } from './context.ts';
import { registerInternalRoutes } from './internal/routes.ts';
import { edgeSignature, requestTimer, uploadBodyLimit } from './middleware.ts';
import { registerOpsRoutes } from './ops/routes.ts';
import { traceRegionRequests } from './ops/tracing.ts';
import type { RegionEnv } from './support/actor.ts';
import { readYourWrites } from './support/consistency.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
const MULTIPART_SLACK_BYTES = 64 * 1024;

export function createRegionApp(ctx: RegionContext) {
  const app = new OpenAPIHono<RegionEnv>({ defaultHook: validationHook });
  app.onError(
    createErrorHandler((error, c) =>
      ctx.log.error(
        {
          err: error,
          requestId: c.get('requestId'),
          organizationId: c.get('request')?.principal?.organizationId,
          route: c.req.routePath,
        },
        'unhandled error',
      ),
    ),
  );
  app.notFound(notFoundHandler);
  app.use('*', requestTimer(ctx));
  // Continues the edge's trace (W3C traceparent) when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise passes through.
  app.use('*', traceRegionRequests(ctx.region));
  registerOpsRoutes(app, ctx);
  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => {
        // The unread rest of the upload leaves the socket unusable for another request.
        c.header('Connection', 'close');
        return envelope(c, 413, 'payload_too_large', `The body is larger than ${maxSize} bytes`);
      },
    });
  const jsonLimit = limitBody(MAX_BODY_BYTES);
  const batchLimit = limitBody(BATCH_MAX_BODY_BYTES);
  // An upload's body is its file plus the multipart framing; the file's own limit is checked with its size.
  // Uploads stream: their declared length is checked here, their bytes while they are parsed.
  const uploadLimits = {
    attachment: uploadBodyLimit(ctx.uploadLimits.attachmentBytes + MULTIPART_SLACK_BYTES),
    import: uploadBodyLimit(ctx.uploadLimits.importBytes + MULTIPART_SLACK_BYTES),
  };
  app.use('*', (c, next) => {
    // A read has no body to limit, and asking Node's adapter for it builds the whole Request.
    if (isRead(c.req.method)) return next();
    const upload = uploadKindOf(c.req.method, c.req.path);
    if (upload) return uploadLimits[upload](c, next);
    return (isBatchRequest(c.req.method, c.req.path) ? batchLimit : jsonLimit)(c, next);
  });
  app.use('/api/*', edgeSignature(ctx));
  // After the signature check, whose principal refresh reads the primary: GETs on replicas, writes answer a token.
  app.use('/api/*', readYourWrites(ctx));
  app.use('/internal/*', edgeSignature(ctx));
  registerInternalRoutes(app, ctx);
  registerApiRoutes(app, ctx);
  return app;
}
