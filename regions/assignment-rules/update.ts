import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { assignmentRules } from '../../db/schema/index.ts';
import type { AssignmentRulePatch } from '../../openapi/schemas/assignment-rules.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { findRule, membersOf } from './access.ts';
import { checkMembers, normalMembers, writeMembers } from './members.ts';
import { assignmentRuleView } from './view.ts';

/** JSON with object keys sorted, so values read back from jsonb (which reorders keys) compare equal to sent ones. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Changes a rule under its row lock (so no lead is dispatched by half of it), honouring If-Match; a member list
 * replaces the current one. A new version, audited with its `assignment_rule.updated` event.
 */
export async function updateAssignmentRule(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof AssignmentRulePatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'assignment_rules:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findRule(tx, organizationId, id, { lock: true });
    checkIfMatch(ifMatch, etagOf(current.version), 'assignment rule');
    let members = await membersOf(tx, organizationId, [id]);
    const before = assignmentRuleView(current, members);
    const changes: Record<string, [unknown, unknown]> = {};
    const fields = { name: patch.name, strategy: patch.strategy, active: patch.active, conditions: patch.conditions };
    for (const [field, after] of Object.entries(fields)) {
      const was = current[field as keyof typeof fields];
      if (after !== undefined && canonical(was) !== canonical(after)) changes[field] = [was, after];
    }
    if (patch.members && canonical(before.members) !== canonical(normalMembers(patch.members))) {
      await checkMembers(tx, organizationId, patch.members);
      members = await writeMembers(tx, organizationId, id, patch.members);
      changes.members = [before.members, normalMembers(patch.members)];
    }
    if (Object.keys(changes).length === 0) return before;
    const set = Object.fromEntries(
      Object.entries(changes)
        .filter(([field]) => field !== 'members')
        .map(([field, [, after]]) => [field, after]),
    );
    const [row] = await tx
      .update(assignmentRules)
      .set({ ...set, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(assignmentRules.organizationId, organizationId), eq(assignmentRules.id, id)))
      .returning();
    const rule = assignmentRuleView(row!, members);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'assignment_rule.updated',
      target: { type: 'assignment_rule', id },
      changes,
      event: { type: 'assignment_rule.updated', payload: { rule, changes } },
    });
    return rule;
  });
}
