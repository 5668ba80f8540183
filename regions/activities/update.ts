import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { activities } from '../../db/schema/index.ts';
import { badRequest, type FieldIssue } from '../../openapi/errors.ts';
import { type ActivityPatch, hasLink, linkFields, linkMessage } from '../../openapi/schemas/activities.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkOwner } from '../support/owner.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { lockVisibleActivity } from './access.ts';
import { recordCompletion } from './completion.ts';
import { checkLinks, type Links } from './links.ts';
import { completedAtAfter, foreignFields, normaliseEmails } from './rules.ts';
import { type ActivityRow, activityView } from './view.ts';

type Patch = z.infer<typeof ActivityPatch>;

const invalid = (details: FieldIssue[]) => badRequest('validation_failed', 'The request body is invalid', details);
const at = (iso: string | null | undefined) => (iso === undefined ? undefined : iso === null ? null : new Date(iso));

/** Refuses what the stored type cannot hold: another type's fields, and a note without a body. */
function checkFieldsFit(current: ActivityRow, patch: Patch) {
  const details: FieldIssue[] = foreignFields(current.type, Object.keys(patch)).map((path) => ({
    path,
    message: `Not a field of ${current.type} activities`,
  }));
  if (current.type === 'note' && patch.body === null) details.push({ path: 'body', message: 'A note needs a body' });
  if (details.length) throw invalid(details);
}

/** The columns the patch asks for, in stored form; undefined where it says nothing. */
function requested(current: ActivityRow, patch: Patch, now: Date) {
  return {
    subject: patch.subject,
    body: patch.body,
    ownerId: patch.ownerId,
    leadId: patch.leadId,
    contactId: patch.contactId,
    companyId: patch.companyId,
    dealId: patch.dealId,
    dueAt: at(patch.dueAt),
    priority: patch.priority,
    done: patch.done,
    completedAt: current.type === 'task' ? completedAtAfter(current, patch.done, now) : undefined,
    durationSeconds: patch.durationSeconds,
    outcome: patch.outcome,
    startsAt: at(patch.startsAt),
    endsAt: at(patch.endsAt),
    attendees: patch.attendees && normaliseEmails(patch.attendees),
    emailDirection: patch.emailDirection,
    emailFrom: patch.emailFrom?.trim().toLowerCase(),
    emailTo: patch.emailTo && normaliseEmails(patch.emailTo),
  };
}

/** Applies a change under the row lock, honouring If-Match; completing a task also records `activity.completed`. */
export async function updateActivity(ctx: RegionContext, actor: Actor, id: string, patch: Patch, ifMatch?: string) {
  const { principal } = actor;
  assertCan(principal, 'activities:update');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockVisibleActivity(tx, principal, id);
    checkIfMatch(ifMatch, etagOf(current.version), 'activity');
    checkFieldsFit(current, patch);
    const now = new Date();
    const changes = diff(current as unknown as Record<string, unknown>, requested(current, patch, now));
    if (Object.keys(changes).length === 0) return activityView(current);
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const merged = { ...current, ...next } as ActivityRow;

    if (changes.ownerId) await checkOwner(tx, principal, merged.ownerId);
    const changedLinks: Links = Object.fromEntries(linkFields.filter((f) => changes[f]).map((f) => [f, merged[f]]));
    await checkLinks(tx, principal, changedLinks);
    if (!hasLink(merged)) throw invalid([{ path: 'leadId', message: linkMessage }]);
    if (merged.type === 'meeting' && merged.startsAt && merged.endsAt && merged.endsAt <= merged.startsAt)
      throw invalid([{ path: 'endsAt', message: 'endsAt must be after startsAt' }]);

    const [row] = await tx
      .update(activities)
      .set({ ...next, version: current.version + 1, updatedAt: now })
      .where(and(eq(activities.organizationId, organizationId), eq(activities.id, id)))
      .returning();
    const activity = activityView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'activity.updated',
      target: { type: 'activity', id },
      changes,
      event: { type: 'activity.updated', payload: { activity, changes } },
    });
    if (changes.done && row!.done) await recordCompletion(tx, organizationId, actor, row!);
    return activity;
  });
}
