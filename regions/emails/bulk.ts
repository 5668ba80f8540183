import type { z } from '@hono/zod-openapi';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { contacts } from '../../db/schema/index.ts';
import { BULK_MAX_RECORDS } from '../../openapi/schemas/bulk.ts';
import type { BulkEmailInput } from '../../openapi/schemas/emails.ts';
import { emailConfig } from '../../workers/email/config.ts';
import { assertCan } from '../auth/permissions.ts';
import { contactBulk } from '../bulk/contacts.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { type NewEmail, queueEmails } from './queue.ts';
import { normaliseAddress, suppressedAmong } from './suppression.ts';
import { makeUnsubscribeToken } from './unsubscribe-token.ts';

type Input = z.infer<typeof BulkEmailInput>;

/**
 * A campaign: one email per address among the selected contacts that have marketing consent and are not on the
 * suppression list, each with its own signed unsubscribe link, all queued in one transaction with an audit row
 * and an `email.bulk_queued` event. The worker sends them under the organization's throttle and checks the
 * suppression list again just before each send (an unsubscribe in the meantime is honoured).
 */
export async function sendBulkEmail(
  ctx: RegionContext,
  actor: Actor,
  input: Input,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'emails:manage');
  const { organizationId } = principal;
  const config = emailConfig();
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'sendBulkEmail',
        input,
        actor: actorId(principal),
      });
      if (prior) return { ...prior, replayed: true };
    }
    const ids =
      'ids' in input.select
        ? [...new Set(input.select.ids)]
        : await contactBulk.select(tx, actor, input.select.filter, BULK_MAX_RECORDS);
    const rows =
      ids.length === 0
        ? []
        : await tx
            .select()
            .from(contacts)
            .where(and(eq(contacts.organizationId, organizationId), inArray(contacts.id, ids)))
            .orderBy(asc(contacts.id));
    const skipped = { noEmail: 0, noConsent: 0, suppressed: 0, duplicate: 0, notFound: ids.length - rows.length };
    const reachable = rows.filter((c) => {
      if (!c.email) skipped.noEmail++;
      else if (!c.marketingEmailConsent) skipped.noConsent++;
      else return true;
      return false;
    });
    const suppressed = await suppressedAmong(
      tx,
      organizationId,
      reachable.map((c) => c.email!),
      'bulk',
    );
    const campaignId = newId();
    const seen = new Set<string>();
    const emails: NewEmail<'campaign'>[] = [];
    for (const contact of reachable) {
      const address = normaliseAddress(contact.email!);
      if (suppressed.has(address)) {
        skipped.suppressed++;
        continue;
      }
      if (seen.has(address)) {
        skipped.duplicate++;
        continue;
      }
      seen.add(address);
      const unsubscribeToken = await makeUnsubscribeToken(ctx.signingSecret, ctx.region, {
        organizationId,
        address,
        contactId: contact.id,
      });
      emails.push({
        organizationId,
        kind: 'bulk',
        template: 'campaign',
        data: {
          subject: input.subject,
          text: input.text,
          firstName: contact.firstName,
          lastName: contact.lastName,
          unsubscribeToken,
        },
        to: address,
        contactId: contact.id,
        campaignId,
        createdBy: actorId(principal),
      });
    }
    const queued = await queueEmails(tx, ctx.jobs, emails, config);
    const body = { campaignId, queued, skipped };
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'email.bulk_queued',
      target: { type: 'email_campaign', id: campaignId },
      changes: { subject: input.subject, queued, skipped },
      event: { type: 'email.bulk_queued', payload: { ...body, subject: input.subject } },
    });
    const response = { status: 202, body };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
