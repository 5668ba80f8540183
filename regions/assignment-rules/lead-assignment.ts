import { and, desc, eq } from 'drizzle-orm';
import { leadAssignments, leads } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import type { Explanation } from '../../workers/dispatch/choose.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { visibleTo } from '../support/owner.ts';

/**
 * The lead's last automatic assignment and why it went that way; 404 for a lead the caller may not see, and for
 * one dispatch never placed (created with an owner, or in an organization without active rules).
 */
export async function getLeadAssignment(ctx: RegionContext, { principal }: Actor, leadId: string) {
  assertCan(principal, 'leads:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [lead] = await tx
      .select({ ownerId: leads.ownerId })
      .from(leads)
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, leadId)));
    if (!lead || !visibleTo(principal, lead.ownerId)) throw notFound('Lead');
    const [row] = await tx
      .select()
      .from(leadAssignments)
      .where(and(eq(leadAssignments.organizationId, organizationId), eq(leadAssignments.leadId, leadId)))
      .orderBy(desc(leadAssignments.id))
      .limit(1);
    if (!row) throw notFound('Assignment');
    return {
      id: row.id,
      leadId: row.leadId,
      ruleId: row.ruleId,
      ownerId: row.ownerId,
      explanation: row.explanation as Explanation,
      assignedAt: row.createdAt.toISOString(),
    };
  });
}
