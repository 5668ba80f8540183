import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BucketFencedError } from '../db/moves/fence.ts';
import { ApiError, envelope, fieldIssues } from './errors.ts';

const codeForStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
};

/** Every thrown error becomes the envelope; only an unexpected one is a 500, and its detail stays in the log. */
export function createErrorHandler(log: (error: unknown, c: Context) => void = () => {}): ErrorHandler {
  return function handleError(error, c) {
    if (error instanceof ApiError) return envelope(c, error.status, error.code, error.message, error.details);
    if (error instanceof BucketFencedError) {
      // A shard move's write fence outlasted the request's wait (db/moves/): retrying shortly finds the new shard.
      c.header('Retry-After', String(error.retryAfterSeconds));
      return envelope(c, 503, 'shard_move_in_progress', error.message);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      const malformed = status === 400 && /json/i.test(error.message);
      const code = malformed ? 'invalid_json' : (codeForStatus[status] ?? 'http_error');
      return envelope(c, status, code, malformed ? 'The request body is not valid JSON' : error.message || code);
    }
    log(error, c);
    return envelope(c, 500, 'internal_error', 'Something went wrong on our side; it has been logged');
  };
}

export const notFoundHandler: NotFoundHandler = (c) =>
  envelope(c, 404, 'route_not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);

/** The zod-openapi hook: a failed validation answers 400 with each bad field named. */
export function validationHook(
  result: {
    success: boolean;
    target: string;
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  },
  c: Context,
) {
  if (result.success || !result.error) return;
  const details = fieldIssues(result.error.issues);
  const where = result.target === 'json' ? 'body' : result.target;
  return envelope(c, 400, 'validation_failed', `The request ${where} is invalid`, details);
}
