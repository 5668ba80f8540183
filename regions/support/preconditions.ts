import { ApiError } from '../../openapi/errors.ts';

/** Refuses a write whose If-Match no longer names the record's current version (412), so no change is lost. */
export function checkIfMatch(ifMatch: string | undefined, etag: string, what = 'record'): void {
  if (ifMatch === undefined || ifMatch === '*') return;
  const candidates = ifMatch.split(',').map((s) => s.trim());
  if (!candidates.includes(etag)) {
    throw new ApiError(412, 'precondition_failed', `The ${what} changed since you read it; read it again and retry`);
  }
}
