import type { z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { assignmentRuleMembers, memberships, users } from '../../db/schema/index.ts';
import { badRequest, type FieldIssue } from '../../openapi/errors.ts';
import type { AssignmentMemberInput } from '../../openapi/schemas/assignment-rules.ts';
import { assignableRoles } from '../../workers/dispatch/state.ts';

type MemberInput = z.infer<typeof AssignmentMemberInput>;

/**
 * Refuses members who could never take a lead: users of no (or another) organization, disabled users, and roles
 * that own no leads (admins, viewers). Each is named by its place in the list.
 */
export async function checkMembers(tx: Tx, organizationId: string, members: readonly MemberInput[]) {
  const people = await tx
    .select({ id: users.id, status: users.status, role: memberships.role })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.organizationId, users.organizationId), eq(memberships.userId, users.id)))
    .where(
      and(
        eq(users.organizationId, organizationId),
        inArray(
          users.id,
          members.map((m) => m.userId),
        ),
      ),
    );
  const byId = new Map(people.map((p) => [p.id, p]));
  const issues: FieldIssue[] = [];
  members.forEach((member, i) => {
    const person = byId.get(member.userId);
    const path = `members.${i}.userId`;
    if (!person || person.status === 'disabled') {
      issues.push({ path, message: 'Not an active user of this organization' });
    } else if (!person.role || !assignableRoles.includes(person.role)) {
      issues.push({ path, message: 'Only sales reps and managers can be given leads' });
    }
  });
  if (issues.length > 0) throw badRequest('validation_failed', 'Some members cannot be given leads', issues);
}

/** Replaces a rule's members with these, in this order. */
export async function writeMembers(tx: Tx, organizationId: string, ruleId: string, members: readonly MemberInput[]) {
  const m = assignmentRuleMembers;
  await tx.delete(m).where(and(eq(m.organizationId, organizationId), eq(m.ruleId, ruleId)));
  const rows = members.map((member, position) => ({
    organizationId,
    ruleId,
    userId: member.userId,
    position,
    weight: member.weight ?? 1,
    territory: member.territory ?? null,
  }));
  const written = await tx.insert(m).values(rows).returning();
  return written;
}

/** Members as stored and shown, for comparing a new list with the current one. */
export const normalMembers = (members: readonly MemberInput[]) =>
  members.map((m) => ({ userId: m.userId, weight: m.weight ?? 1, territory: m.territory ?? null }));
