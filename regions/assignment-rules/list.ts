import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findRule, listRules, membersOf } from './access.ts';
import { assignmentRuleView } from './view.ts';

/** Every rule in the order dispatch tries them; members of the organization may read them. */
export async function listAssignmentRules(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'assignment_rules:read');
  const { organizationId } = principal;
  const rules = await ctx.shards.withTenant(organizationId, (tx) => listRules(tx, organizationId));
  return { data: rules.map(({ rule, members }) => assignmentRuleView(rule, members)) };
}

/** One rule with its members. */
export async function getAssignmentRule(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'assignment_rules:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const rule = await findRule(tx, organizationId, id);
    return assignmentRuleView(rule, await membersOf(tx, organizationId, [id]));
  });
}
