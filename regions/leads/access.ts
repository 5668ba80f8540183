import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { leads, users } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { ApiError, badRequest, forbidden, notFound } from '../../openapi/errors.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';

/** The lead, locked for change, if the principal may see it; otherwise 404 (never 403, which would confirm it exists). */
export async function lockVisibleLead(tx: Tx, principal: Principal, id: string) {
  const [lead] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.organizationId, principal.organizationId), eq(leads.id, id)))
    .for('update');
  const own = ownRecordsOnly(principal);
  if (!lead || (own && lead.ownerId !== own)) throw notFound('Lead');
  return lead;
}

export function checkIfMatch(ifMatch: string | undefined, etag: string): void {
  if (ifMatch === undefined || ifMatch === '*') return;
  const candidates = ifMatch.split(',').map((s) => s.trim());
  if (!candidates.includes(etag)) {
    throw new ApiError(412, 'precondition_failed', 'The lead changed since you read it; read it again and retry');
  }
}

/**
 * The owner a write may set: a sales rep may only own the lead themself (not unassign it); others may assign
 * any active member of the organization, or nobody.
 */
export async function checkOwner(tx: Tx, principal: Principal, ownerId: string | null | undefined) {
  if (ownerId === undefined) return;
  // A rep who could unassign a lead would drop it out of their own view and into nobody's.
  const own = ownRecordsOnly(principal);
  if (own && ownerId !== own) throw forbidden('Sales reps can only assign leads to themselves');
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
