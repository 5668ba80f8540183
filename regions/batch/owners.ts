import type { Tx } from '../../db/database.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ApiError } from '../../openapi/errors.ts';
import { checkOwner } from '../support/owner.ts';
import type { BatchError } from './outcome.ts';

/**
 * The single write's owner rule, asked once per distinct owner in a chunk: a batch names few owners, and
 * checkOwner only reads, so a refusal leaves the chunk's transaction usable.
 */
export function ownerChecker(tx: Tx, principal: Principal) {
  const seen = new Map<string | null, Promise<BatchError | null>>();
  return (ownerId: string | null | undefined): Promise<BatchError | null> => {
    if (ownerId === undefined) return Promise.resolve(null);
    let verdict = seen.get(ownerId);
    if (!verdict) {
      verdict = checkOwner(tx, principal, ownerId).then(
        () => null,
        (error: unknown) => {
          if (!(error instanceof ApiError)) throw error;
          return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
        },
      );
      seen.set(ownerId, verdict);
    }
    return verdict;
  };
}
