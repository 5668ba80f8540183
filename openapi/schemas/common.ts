import { z } from '@hono/zod-openapi';
import { errorExample } from './examples.ts';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string().openapi({ example: 'The request body is invalid' }),
      requestId: z.string().openapi({ example: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }),
      details: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .openapi({ example: [{ path: 'email', message: 'Invalid email address' }] }),
    }),
  })
  .openapi('Error');

type NamedExample = { summary: string; value: z.output<typeof ErrorSchema> };

/** An error response whose examples show the codes a client should expect, so it can branch on `error.code`. */
export const errorResponse = (
  description: string,
  examples: Record<string, NamedExample>,
  headers?: Record<string, { description: string; schema: { type: 'integer' | 'string' } }>,
) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ErrorSchema, examples } },
});

const rateLimitHeaders = {
  'Retry-After': {
    description: 'Seconds until the window resets and requests are accepted again',
    schema: { type: 'integer' as const },
  },
  'RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer' as const } },
  'RateLimit-Remaining': { description: 'Requests left in the window (0 here)', schema: { type: 'integer' as const } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' as const } },
};

export const errorResponses = {
  400: errorResponse('The request is malformed or fails validation', {
    validation_failed: {
      summary: 'A field is invalid',
      value: errorExample('validation_failed', 'The request body is invalid', [
        { path: 'email', message: 'Invalid email address' },
      ]),
    },
    invalid_json: {
      summary: 'The body is not JSON',
      value: errorExample('invalid_json', 'The request body is not valid JSON'),
    },
  }),
  401: errorResponse('No valid credentials', {
    unauthorized: {
      summary: 'No Authorization header',
      value: errorExample('unauthorized', 'Send Authorization: Bearer <access token or API key>'),
    },
    invalid_token: {
      summary: 'The token or key is expired or revoked',
      value: errorExample('invalid_token', 'The access token or API key is not valid, or has expired'),
    },
  }),
  403: errorResponse('The credentials lack the permission', {
    forbidden: {
      summary: 'Missing permission',
      value: errorExample('forbidden', 'You do not have permission to do this'),
    },
  }),
  404: errorResponse('Not found, or not visible to the caller', {
    not_found: {
      summary: 'No such record in this organization',
      value: errorExample('not_found', 'Resource not found'),
    },
  }),
  413: errorResponse('The request body is too large', {
    payload_too_large: {
      summary: 'Over the body limit',
      value: errorExample('payload_too_large', 'The body is larger than 1048576 bytes'),
    },
  }),
  415: errorResponse('The request body is not JSON', {
    unsupported_media_type: {
      summary: 'Wrong Content-Type',
      value: errorExample('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json'),
    },
  }),
  429: errorResponse(
    'Rate limit exceeded; see Retry-After',
    {
      rate_limited: {
        summary: 'Too many requests',
        value: errorExample('rate_limited', 'Too many requests; try again in 12 s'),
      },
    },
    rateLimitHeaders,
  ),
} as const;

/** A single-case error response (409, 412, 422, …) with its one error code as the example. */
export const failureResponse = (description: string, code: string, message: string) =>
  errorResponse(description, { [code]: { summary: description, value: errorExample(code, message) } });

export const pick = <K extends keyof typeof errorResponses>(...codes: K[]) =>
  Object.fromEntries(codes.map((code) => [code, errorResponses[code]])) as Pick<typeof errorResponses, K>;

/** Examples are typed by the schema they illustrate, so a contract change that makes one stale fails the type check. */
export const jsonBody = <T extends z.ZodType>(schema: T, description: string, example: z.input<T>) => ({
  required: true,
  description,
  content: { 'application/json': { schema, example } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string, example: z.output<T>) => ({
  description,
  content: { 'application/json': { schema, example } },
});

export const IdParam = z.object({
  id: z.uuid().openapi({
    param: { name: 'id', in: 'path', description: 'The record id (a UUID)' },
    example: '0193a5f4-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  }),
});

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-25T15:06:50.000Z' });
export const roles = ['admin', 'manager', 'sales_rep', 'viewer'] as const;
export const RoleSchema = z.enum(roles).openapi('Role');
