import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { deals } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { notFound } from '../../openapi/errors.ts';
import { visibleTo } from '../support/owner.ts';

/** The deal if the principal may see it, locked for change when asked; otherwise 404 (never 403). */
export async function visibleDeal(tx: Tx, principal: Principal, id: string, lock = false) {
  const query = tx
    .select()
    .from(deals)
    .where(and(eq(deals.organizationId, principal.organizationId), eq(deals.id, id)));
  const [deal] = lock ? await query.for('update') : await query;
  if (!deal || !visibleTo(principal, deal.ownerId)) throw notFound('Deal');
  return deal;
}
