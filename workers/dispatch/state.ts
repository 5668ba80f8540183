import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import {
  assignmentCursors,
  assignmentRuleMembers,
  assignmentRules,
  leads,
  memberships,
  repAvailability,
  users,
} from '../../db/schema/index.ts';
import type { RepFacts, RuleFacts } from './choose.ts';

/** The lead statuses that still need work from their owner: what counts against a rep's limit. */
export const openLeadStatuses = ['new', 'contacted', 'qualified'] as const;

/** The roles that may be handed leads. */
export const assignableRoles: readonly string[] = ['sales_rep', 'manager'];

/** How many open leads each of these users owns (absent: none). */
export async function openLeadCounts(
  tx: Tx,
  organizationId: string,
  userIds: readonly string[],
): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx
    .select({ ownerId: leads.ownerId, open: count() })
    .from(leads)
    .where(
      and(
        eq(leads.organizationId, organizationId),
        inArray(leads.ownerId, [...userIds]),
        inArray(leads.status, [...openLeadStatuses]),
      ),
    )
    .groupBy(leads.ownerId);
  return new Map(rows.map((r) => [r.ownerId!, Number(r.open)]));
}

/** The users as possible owners: whether they may own leads, their availability and their open leads now. */
export async function loadReps(tx: Tx, organizationId: string, userIds: readonly string[]) {
  const reps = new Map<string, RepFacts>();
  if (userIds.length === 0) return reps;
  const ids = [...userIds];
  const people = await tx
    .select({ id: users.id, name: users.name, email: users.email, status: users.status, role: memberships.role })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.organizationId, users.organizationId), eq(memberships.userId, users.id)))
    .where(and(eq(users.organizationId, organizationId), inArray(users.id, ids)));
  const availability = await tx
    .select()
    .from(repAvailability)
    .where(and(eq(repAvailability.organizationId, organizationId), inArray(repAvailability.userId, ids)));
  const setting = new Map(availability.map((a) => [a.userId, a]));
  const open = await openLeadCounts(tx, organizationId, ids);
  for (const person of people) {
    const set = setting.get(person.id);
    const notAssignable =
      person.status !== 'active'
        ? `user is ${person.status}`
        : !person.role || !assignableRoles.includes(person.role)
          ? `role ${person.role ?? 'none'} does not take leads`
          : null;
    reps.set(person.id, {
      userId: person.id,
      name: person.name || person.email,
      notAssignable,
      away: set?.away ?? false,
      awayUntil: set?.awayUntil ?? null,
      maxOpenLeads: set?.maxOpenLeads ?? null,
      openLeads: open.get(person.id) ?? 0,
    });
  }
  return reps;
}

/** Whether the organization has any active rule; most have none, and their new leads need nothing from dispatch. */
export async function hasActiveRules(tx: Tx, organizationId: string): Promise<boolean> {
  const [rule] = await tx
    .select({ id: assignmentRules.id })
    .from(assignmentRules)
    .where(and(eq(assignmentRules.organizationId, organizationId), eq(assignmentRules.active, true)))
    .limit(1);
  return rule !== undefined;
}

/**
 * The organization's active rules, in the order they are tried, locked until the transaction ends so concurrent
 * dispatchers take turns and each sees the rotation and open-lead counts the one before it left; then their
 * members, rotation cursors and reps, read after the lock. Null when there is no active rule.
 */
export async function lockDispatchState(
  tx: Tx,
  organizationId: string,
): Promise<{ rules: RuleFacts[]; reps: Map<string, RepFacts> } | null> {
  const r = assignmentRules;
  const rules = await tx
    .select()
    .from(r)
    .where(and(eq(r.organizationId, organizationId), eq(r.active, true)))
    .orderBy(asc(r.position), asc(r.id))
    .for('update');
  if (rules.length === 0) return null;
  const ruleIds = rules.map((rule) => rule.id);
  const m = assignmentRuleMembers;
  const members = await tx
    .select()
    .from(m)
    .where(and(eq(m.organizationId, organizationId), inArray(m.ruleId, ruleIds)))
    .orderBy(asc(m.ruleId), asc(m.position));
  const c = assignmentCursors;
  const cursors = await tx
    .select()
    .from(c)
    .where(and(eq(c.organizationId, organizationId), inArray(c.ruleId, ruleIds)));
  const last = new Map(cursors.map((cursor) => [cursor.ruleId, cursor.lastUserId]));
  const reps = await loadReps(tx, organizationId, [...new Set(members.map((member) => member.userId))]);
  return {
    rules: rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      strategy: rule.strategy,
      conditions: rule.conditions,
      members: members
        .filter((member) => member.ruleId === rule.id)
        .map((member) => ({ userId: member.userId, weight: member.weight, territory: member.territory })),
      lastUserId: last.get(rule.id) ?? null,
    })),
    reps,
  };
}
