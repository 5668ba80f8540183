import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { assignmentRuleMembers, assignmentRules } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';

/**
 * The rule, or 404; rules of other organizations never match. Locked for a change: dispatch, which locks the active
 * rules while it places a lead, then waits for the change and sees it.
 */
export async function findRule(tx: Tx, organizationId: string, id: string, options: { lock?: boolean } = {}) {
  const query = tx
    .select()
    .from(assignmentRules)
    .where(and(eq(assignmentRules.organizationId, organizationId), eq(assignmentRules.id, id)));
  const [rule] = options.lock ? await query.for('update') : await query;
  if (!rule) throw notFound('Assignment rule');
  return rule;
}

/** The members of these rules, in rotation order. */
export async function membersOf(tx: Tx, organizationId: string, ruleIds: readonly string[]) {
  if (ruleIds.length === 0) return [];
  const m = assignmentRuleMembers;
  return tx
    .select()
    .from(m)
    .where(and(eq(m.organizationId, organizationId), inArray(m.ruleId, [...ruleIds])))
    .orderBy(asc(m.ruleId), asc(m.position));
}

/** Every rule of the organization in the order dispatch tries them, each with its members. */
export async function listRules(tx: Tx, organizationId: string, options: { lock?: boolean } = {}) {
  const r = assignmentRules;
  const query = tx.select().from(r).where(eq(r.organizationId, organizationId)).orderBy(asc(r.position), asc(r.id));
  const rules = options.lock ? await query.for('update') : await query;
  const members = await membersOf(
    tx,
    organizationId,
    rules.map((rule) => rule.id),
  );
  return rules.map((rule) => ({ rule, members: members.filter((m) => m.ruleId === rule.id) }));
}
