import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { contacts, leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { badRequest, notFound } from '../../openapi/errors.ts';
import { visibleTo } from '../support/owner.ts';

function distinct(primaryId: string, duplicateId: string) {
  if (primaryId === duplicateId) {
    throw badRequest('merge_with_itself', 'A record cannot be merged with itself', [
      { path: 'duplicateId', message: 'Name another record than the one in the path' },
    ]);
  }
}

/**
 * Both records locked for the merge, always in id order, so two merges of the same pair in opposite directions
 * queue instead of deadlocking. Either one missing or not visible to the caller is a 404.
 */
export async function lockLeadPair(tx: Tx, principal: Principal, primaryId: string, duplicateId: string) {
  distinct(primaryId, duplicateId);
  const rows = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.organizationId, principal.organizationId), inArray(leads.id, [primaryId, duplicateId])))
    .orderBy(asc(leads.id))
    .for('update');
  const primary = rows.find((r) => r.id === primaryId);
  const duplicate = rows.find((r) => r.id === duplicateId);
  if (!primary || !visibleTo(principal, primary.ownerId)) throw notFound('Lead');
  if (!duplicate || !visibleTo(principal, duplicate.ownerId)) throw notFound('Duplicate lead');
  return { primary, duplicate };
}

export async function lockContactPair(tx: Tx, principal: Principal, primaryId: string, duplicateId: string) {
  distinct(primaryId, duplicateId);
  const rows = await tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.organizationId, principal.organizationId), inArray(contacts.id, [primaryId, duplicateId])))
    .orderBy(asc(contacts.id))
    .for('update');
  const primary = rows.find((r) => r.id === primaryId);
  const duplicate = rows.find((r) => r.id === duplicateId);
  if (!primary || !visibleTo(principal, primary.ownerId)) throw notFound('Contact');
  if (!duplicate || !visibleTo(principal, duplicate.ownerId)) throw notFound('Duplicate contact');
  return { primary, duplicate };
}
