import type { z } from '@hono/zod-openapi';
import { eq, max } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { assignmentRules } from '../../db/schema/index.ts';
import type { AssignmentRuleInput } from '../../openapi/schemas/assignment-rules.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { checkMembers, writeMembers } from './members.ts';
import { assignmentRuleView } from './view.ts';

/** Adds a rule after the organization's others (reorder to move it), with its members; audited with its event. */
export async function createAssignmentRule(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof AssignmentRuleInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'assignment_rules:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const request = { op: 'createAssignmentRule', input, actor: actorId(principal) };
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
      if (prior) return { ...prior, replayed: true };
    }
    await checkMembers(tx, organizationId, input.members);
    const [last] = await tx
      .select({ position: max(assignmentRules.position) })
      .from(assignmentRules)
      .where(eq(assignmentRules.organizationId, organizationId));
    const fields = {
      name: input.name,
      strategy: input.strategy,
      active: input.active ?? true,
      conditions: input.conditions ?? {},
      position: last?.position === null || last?.position === undefined ? 0 : last.position + 1,
    };
    const [rule] = await tx
      .insert(assignmentRules)
      .values({ organizationId, id: newId(), ...fields, createdBy: actorId(principal) })
      .returning();
    const members = await writeMembers(tx, organizationId, rule!.id, input.members);
    const view = assignmentRuleView(rule!, members);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'assignment_rule.created',
      target: { type: 'assignment_rule', id: view.id },
      changes: { ...fields, members: view.members },
      event: { type: 'assignment_rule.created', payload: view },
    });
    const response = { status: 201, body: view };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
