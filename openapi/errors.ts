import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type FieldIssue = { path: string; message: string };

/** The one error shape every layer answers with. */
export type ErrorEnvelope = {
  error: { code: string; message: string; requestId: string; details?: FieldIssue[] };
};

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: FieldIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (code: string, message: string, details?: FieldIssue[]) =>
  new ApiError(400, code, message, details);
export const unauthorized = (message = 'Authentication is required') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'You do not have permission to do this') => new ApiError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

export const requestIdOf = (c: Context): string => (c.get('requestId' as never) as string | undefined) ?? 'unknown';

export function envelope(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: FieldIssue[],
) {
  const body: ErrorEnvelope = { error: { code, message, requestId: requestIdOf(c), ...(details ? { details } : {}) } };
  return c.json(body, status);
}

/** Turns zod issues into field details a client can show next to the field that caused them. */
export function fieldIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[],
): FieldIssue[] {
  const pathOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';
  return issues.flatMap((issue) =>
    // zod reports unknown fields on their parent object; each is named on its own so a client can point at it.
    issue.code === 'unrecognized_keys' && issue.keys?.length
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'Unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}
