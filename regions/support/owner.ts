import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { users } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { badRequest, forbidden } from '../../openapi/errors.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';

/**
 * The owner a write may set on any owned record: a sales rep may only own it themself (not unassign it, which
 * would drop it out of their own view and into nobody's); others may assign any active member, or nobody.
 */
export async function checkOwner(tx: Tx, principal: Principal, ownerId: string | null | undefined) {
  if (ownerId === undefined) return;
  const own = ownRecordsOnly(principal);
  if (own && ownerId !== own) throw forbidden('Sales reps can only assign records to themselves');
  if (ownerId === null) return;
  const [owner] = await tx
    .select({ status: users.status })
    .from(users)
    .where(and(eq(users.organizationId, principal.organizationId), eq(users.id, ownerId)));
  if (!owner || owner.status === 'disabled') {
    throw badRequest('unknown_owner', 'ownerId is not an active user of this organization', [
      { path: 'ownerId', message: 'Not an active user of this organization' },
    ]);
  }
}

/** Whether a record with this owner is visible to the principal (sales reps see only their own). */
export function visibleTo(principal: Principal, ownerId: string | null): boolean {
  const own = ownRecordsOnly(principal);
  return !own || ownerId === own;
}
