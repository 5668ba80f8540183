import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { leads } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { notFound } from '../../openapi/errors.ts';
import { visibleTo } from '../support/owner.ts';

/** The lead, locked for change, if the principal may see it; otherwise 404 (never 403, which would confirm it exists). */
export async function lockVisibleLead(tx: Tx, principal: Principal, id: string) {
  const [lead] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.organizationId, principal.organizationId), eq(leads.id, id)))
    .for('update');
  if (!lead || !visibleTo(principal, lead.ownerId)) throw notFound('Lead');
  return lead;
}
