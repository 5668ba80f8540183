import { and, eq } from 'drizzle-orm';
import { leads } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { lockVisibleLead } from './access.ts';

export async function deleteLead(ctx: RegionContext, actor: Actor, id: string, ifMatch?: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'leads:delete');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockVisibleLead(tx, principal, id);
    checkIfMatch(ifMatch, etagOf(current.version), 'lead');
    await tx.delete(leads).where(and(eq(leads.organizationId, organizationId), eq(leads.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'lead.deleted',
      target: { type: 'lead', id },
      event: { type: 'lead.deleted', payload: { leadId: id } },
    });
  });
}
