import { z } from '@hono/zod-openapi';
import { ApiError, type FieldIssue, fieldIssues } from '../../openapi/errors.ts';
import type { BatchResultSchema } from '../../openapi/schemas/batch.ts';

export type BatchResult = z.output<typeof BatchResultSchema>;
export type BatchError = NonNullable<BatchResult['error']>;
export type MatchOn = 'email' | 'domain' | 'externalId';

export const failed = (index: number, code: string, message: string, details?: FieldIssue[]): BatchResult => ({
  index,
  status: 'failed',
  error: { code, message, ...(details ? { details } : {}) },
});

/** The per-record form of a refusal a single write would have thrown; anything else is a real fault. */
export function failedFrom(index: number, error: unknown): BatchResult {
  if (error instanceof ApiError) return failed(index, error.code, error.message, error.details);
  throw error;
}

export const ExternalId = z.string().trim().min(1).max(200);

/** Splits `externalId` off a record and validates both parts, the rest with the single create's own schema. */
export function parseRecord<T>(
  schema: z.ZodType<T>,
  index: number,
  record: Record<string, unknown>,
): { input: T; externalId: string | undefined } | BatchResult {
  const { externalId, ...rest } = record;
  const parsed = schema.safeParse(rest);
  const id = externalId === undefined ? undefined : ExternalId.safeParse(externalId);
  const issues = [
    ...(parsed.success ? [] : fieldIssues(parsed.error.issues)),
    ...(id && !id.success ? fieldIssues(id.error.issues).map((i) => ({ ...i, path: 'externalId' })) : []),
  ];
  if (issues.length > 0 || !parsed.success) return failed(index, 'validation_failed', 'The record is invalid', issues);
  return { input: parsed.data, externalId: id?.success ? id.data : undefined };
}
