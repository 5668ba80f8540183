/** SQLSTATEs raised by crm_enter_bucket (migration 0027): the bucket left this shard, or a move fences it now. */
export const BUCKET_MOVED = 'CRMOV';
export const BUCKET_FENCED = 'CRFEN';

/** The advisory lock class of a bucket's write fence: tenant transactions hold it shared, a move's fence exclusively. */
export const FENCE_LOCK_CLASS = 1936224868;

/**
 * A move fences the organization's bucket for longer than a request should wait: the API answers 503 with
 * Retry-After (openapi/error-handlers.ts), and the client tries again once the bucket is on its new shard.
 */
export class BucketFencedError extends Error {
  readonly retryAfterSeconds = 1;
  constructor(readonly bucket: number) {
    super(`bucket ${bucket} is being moved between shards; try again shortly`);
    this.name = 'BucketFencedError';
  }
}

/** The SQLSTATE of a driver error, however drizzle or the driver wrapped it. */
export function sqlStateOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
