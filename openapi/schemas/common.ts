import { z } from '@hono/zod-openapi';

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

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

export const errorResponses = {
  400: errorResponse('The request is malformed or fails validation'),
  401: errorResponse('No valid credentials'),
  403: errorResponse('The credentials lack the permission'),
  404: errorResponse('Not found, or not visible to the caller'),
  413: errorResponse('The request body is too large'),
  415: errorResponse('The request body is not JSON'),
  429: errorResponse('Rate limit exceeded; see Retry-After'),
} as const;

export const pick = <K extends keyof typeof errorResponses>(...codes: K[]) =>
  Object.fromEntries(codes.map((code) => [code, errorResponses[code]])) as Pick<typeof errorResponses, K>;

export const jsonBody = <T extends z.ZodType>(schema: T, description: string) => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const IdParam = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }),
});

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-25T15:06:50.000Z' });
export const roles = ['admin', 'manager', 'sales_rep', 'viewer'] as const;
export const RoleSchema = z.enum(roles).openapi('Role');
