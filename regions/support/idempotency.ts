import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { idempotencyKeys } from '../../db/schema/index.ts';
import { sha256Hex } from '../../edge/protocol/encoding.ts';
import { ApiError } from '../../openapi/errors.ts';

export type StoredResponse = { status: number; body: unknown };

/**
 * Claims an Idempotency-Key inside the write's transaction. A concurrent request with the same key waits on the
 * unique index until this transaction ends, then sees the stored response, so a key can never produce two records.
 * Returns the earlier response to replay, or null when this request is the first.
 */
export async function claimIdempotencyKey(
  tx: Tx,
  organizationId: string,
  key: string,
  request: unknown,
): Promise<StoredResponse | null> {
  const requestHash = await sha256Hex(JSON.stringify(request));
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ organizationId, key, requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 1) return null;
  const [prior] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)));
  if (!prior || prior.requestHash !== requestHash || prior.statusCode === null) {
    throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
  }
  return { status: prior.statusCode, body: prior.response };
}

export async function storeIdempotentResponse(
  tx: Tx,
  organizationId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ statusCode: response.status, response: response.body })
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)));
}
