import { and, eq } from 'drizzle-orm';
import { assignmentCursors, assignmentRuleMembers, assignmentRules } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { findRule, membersOf } from './access.ts';
import { assignmentRuleView } from './view.ts';

/** Deletes a rule with its members and rotation; past assignments keep its id in their log and explanation. */
export async function deleteAssignmentRule(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const { principal } = actor;
  assertCan(principal, 'assignment_rules:manage');
  const { organizationId } = principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findRule(tx, organizationId, id, { lock: true });
    const deleted = assignmentRuleView(current, await membersOf(tx, organizationId, [id]));
    const m = assignmentRuleMembers;
    await tx.delete(m).where(and(eq(m.organizationId, organizationId), eq(m.ruleId, id)));
    const c = assignmentCursors;
    await tx.delete(c).where(and(eq(c.organizationId, organizationId), eq(c.ruleId, id)));
    const r = assignmentRules;
    await tx.delete(r).where(and(eq(r.organizationId, organizationId), eq(r.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'assignment_rule.deleted',
      target: { type: 'assignment_rule', id },
      changes: { deleted },
      event: { type: 'assignment_rule.deleted', payload: { ruleId: id, name: current.name } },
    });
  });
}
