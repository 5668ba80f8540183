import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { assignmentRules } from '../../db/schema/index.ts';
import { badRequest, type FieldIssue } from '../../openapi/errors.ts';
import type { AssignmentRuleOrder } from '../../openapi/schemas/assignment-rules.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { renumber } from '../pipelines/stage-order.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { listRules } from './access.ts';
import { assignmentRuleView } from './view.ts';

/**
 * Puts the rules in the given order (positions 0, 1, 2, …), under a lock on all of them. The list must name every
 * rule of the organization exactly once, so a client working from a stale list is told instead of half-obeyed.
 * Each rule that moves gets a new version, audited with an `assignment_rule.reordered` event.
 */
export async function reorderAssignmentRules(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof AssignmentRuleOrder>,
) {
  const { principal } = actor;
  assertCan(principal, 'assignment_rules:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const rules = await listRules(tx, organizationId, { lock: true });
    const known = new Set(rules.map(({ rule }) => rule.id));
    const named = new Set(input.ids);
    const issues: FieldIssue[] = [
      ...input.ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `ids.${i}`, message: 'No such rule' }])),
      ...[...known].filter((id) => !named.has(id)).map((id) => ({ path: 'ids', message: `Rule ${id} is missing` })),
    ];
    if (issues.length > 0) throw badRequest('validation_failed', 'Name every assignment rule exactly once', issues);
    const moves = renumber(
      rules.map(({ rule }) => ({ id: rule.id, position: rule.position })),
      input.ids,
    );
    const now = new Date();
    const byId = new Map(rules.map((entry) => [entry.rule.id, entry]));
    for (const { id, position } of moves) {
      const entry = byId.get(id)!;
      const [row] = await tx
        .update(assignmentRules)
        .set({ position, version: entry.rule.version + 1, updatedAt: now })
        .where(and(eq(assignmentRules.organizationId, organizationId), eq(assignmentRules.id, id)))
        .returning();
      byId.set(id, { ...entry, rule: row! });
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'assignment_rule.reordered',
        target: { type: 'assignment_rule', id },
        changes: { position: [entry.rule.position, position] },
        event: { type: 'assignment_rule.reordered', payload: { ruleId: id, position } },
      });
    }
    return { data: input.ids.map((id) => assignmentRuleView(byId.get(id)!.rule, byId.get(id)!.members)) };
  });
}
