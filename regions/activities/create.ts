import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { activities } from '../../db/schema/index.ts';
import type { ActivityInput } from '../../openapi/schemas/activities.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { checkOwner } from '../support/owner.ts';
import { recordChange } from '../support/record.ts';
import { recordCompletion } from './completion.ts';
import { checkLinks } from './links.ts';
import { normaliseEmails, noteSubject } from './rules.ts';
import { activityView } from './view.ts';

type Input = z.infer<typeof ActivityInput>;
type NewActivity = Omit<typeof activities.$inferInsert, 'organizationId' | 'id'>;

const at = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/** The columns of one type's own fields; every other type's stay empty. */
function typeColumns(input: Input, now: Date): Partial<NewActivity> {
  switch (input.type) {
    case 'task':
      return {
        dueAt: at(input.dueAt),
        priority: input.priority ?? 'normal',
        done: input.done ?? false,
        completedAt: input.done ? now : null,
      };
    case 'call':
      return { durationSeconds: input.durationSeconds ?? null, outcome: input.outcome ?? null };
    case 'meeting':
      return {
        startsAt: at(input.startsAt),
        endsAt: at(input.endsAt),
        attendees: normaliseEmails(input.attendees ?? []),
      };
    case 'email':
      return {
        emailDirection: input.emailDirection,
        emailFrom: input.emailFrom.trim().toLowerCase(),
        emailTo: normaliseEmails(input.emailTo),
      };
    case 'note':
      return {};
  }
}

/** The user who creates an activity owns it unless told otherwise; an API key's activities start unowned. */
const defaultOwner = ({ principal }: Actor) => (principal.type === 'user' ? principal.userId : null);

/** Creates an activity with its audit row and `activity.created` event in one transaction; replays a retry. */
export async function createActivity(
  ctx: RegionContext,
  actor: Actor,
  input: Input,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'activities:create');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      // The actor is part of the request: the activity defaults to its creator, and a replay must never hand
      // one member what another created.
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'createActivity',
        input,
        actor: actorId(principal),
      });
      if (prior) return { ...prior, replayed: true };
    }
    const ownerId = input.ownerId === undefined ? defaultOwner(actor) : input.ownerId;
    await checkOwner(tx, principal, ownerId);
    const links = {
      leadId: input.leadId ?? null,
      contactId: input.contactId ?? null,
      companyId: input.companyId ?? null,
      dealId: input.dealId ?? null,
    };
    await checkLinks(tx, principal, links);
    const now = new Date();
    const fields = {
      type: input.type,
      subject: input.subject ?? noteSubject(input.body ?? ''),
      body: input.body ?? null,
      ownerId,
      ...links,
      ...typeColumns(input, now),
    };
    const [row] = await tx
      .insert(activities)
      .values({
        organizationId,
        id: newId(),
        ...fields,
        createdBy: actorId(principal),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const activity = activityView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'activity.created',
      target: { type: 'activity', id: activity.id },
      changes: fields,
      event: { type: 'activity.created', payload: activity },
    });
    if (activity.done) await recordCompletion(tx, organizationId, actor, row!);
    const response = { status: 201, body: activity };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
