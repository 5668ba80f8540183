import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { activities } from '../../db/schema/index.ts';
import { ApiError, conflict } from '../../openapi/errors.ts';
import type { SendEmailInput } from '../../openapi/schemas/emails.ts';
import { emailConfig } from '../../workers/email/config.ts';
import { merge } from '../../workers/email/templates.ts';
import { activityView } from '../activities/view.ts';
import { assertCan } from '../auth/permissions.ts';
import { findVisibleContact } from '../contacts/access.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { queueEmail } from './queue.ts';
import { suppressionOf } from './suppression.ts';
import { emailView } from './view.ts';

/**
 * Emails one contact: an outbound `email` activity on their timeline (owned by the sender), the email row and
 * its job, with audit rows and events, in one transaction. The worker checks the suppression list again before
 * it sends, since an address may bounce in between.
 */
export async function sendEmailToContact(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof SendEmailInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'emails:send');
  const { organizationId } = principal;
  const config = emailConfig();
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'sendEmail',
        input,
        actor: actorId(principal),
      });
      if (prior) return { ...prior, replayed: true };
    }
    const contact = await findVisibleContact(tx, principal, input.contactId);
    if (!contact.email) throw new ApiError(422, 'contact_has_no_email', 'The contact has no email address');
    const reason = await suppressionOf(tx, organizationId, contact.email, 'transactional');
    if (reason) {
      throw conflict('address_suppressed', `${contact.email} is suppressed (${reason}); no email is sent to it`);
    }
    const person = { firstName: contact.firstName, lastName: contact.lastName };
    const now = new Date();
    const [activity] = await tx
      .insert(activities)
      .values({
        organizationId,
        id: newId(),
        type: 'email',
        subject: merge(input.subject, person)
          .replace(/[\r\n]+/g, ' ')
          .trim(),
        body: merge(input.text, person),
        ownerId: principal.type === 'user' ? principal.userId : null,
        contactId: contact.id,
        emailDirection: 'outbound',
        emailFrom: config.fromAddress,
        emailTo: [contact.email],
        createdBy: actorId(principal),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const activityPayload = activityView(activity!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'activity.created',
      target: { type: 'activity', id: activity!.id },
      changes: { type: 'email', subject: activity!.subject, contactId: contact.id, emailTo: [contact.email] },
      event: { type: 'activity.created', payload: activityPayload },
    });
    const email = await queueEmail(
      tx,
      ctx.jobs,
      {
        organizationId,
        kind: 'transactional',
        template: 'transactional',
        data: { subject: input.subject, text: input.text, ...person },
        to: contact.email,
        contactId: contact.id,
        activityId: activity!.id,
        createdBy: actorId(principal),
      },
      config,
    );
    const view = emailView(email);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'email.queued',
      target: { type: 'email', id: email.id },
      changes: { to: view.to, subject: view.subject, contactId: contact.id, activityId: activity!.id },
      event: { type: 'email.queued', payload: view },
    });
    const response = { status: 202, body: view };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
