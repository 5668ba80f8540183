import { and, eq, sql } from 'drizzle-orm';
import type { Job } from 'pg-boss';
import type { Tx } from '../../db/database.ts';
import { memberships, users, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import { notify } from '../../regions/notifications/notify.ts';
import { recordChange } from '../../regions/support/record.ts';
import type { SecretBox } from '../../regions/support/secret-box.ts';
import { openWebhookSecret } from '../../regions/webhooks/secrets.ts';
import type { WebhookConfig } from './config.ts';
import type { DeliverJob } from './fanout.ts';
import { type PostResult, postWebhook } from './post.ts';
import { signWebhook } from './signature.ts';

export type DeliverDeps = { shards: ShardSet; jobs: JobSender; config: WebhookConfig; secrets: SecretBox };

const delivered = (result: PostResult) => result.status !== null && result.status >= 200 && result.status < 300;

const failureOf = (result: PostResult) => result.error ?? `HTTP ${result.status}`;

/** When pg-boss will try again, at the latest (it waits between half and all of the backoff delay). */
function nextAttemptAfter(config: WebhookConfig, retryCount: number): Date {
  const seconds = Math.min(config.retryDelayMaxSeconds, config.retryDelaySeconds * 2 ** Math.min(16, retryCount));
  return new Date(Date.now() + seconds * 1000);
}

/**
 * One attempt of one delivery: signs and POSTs the stored body, records the answer in the delivery log, and on
 * failure throws so pg-boss retries with backoff. The last failed attempt counts against the subscription; at
 * `disableAfter` failed deliveries in a row it is disabled and its organization's admins are notified.
 */
export async function deliverWebhook(deps: DeliverDeps, job: Job<DeliverJob>): Promise<void> {
  const { organizationId, deliveryId } = job.data;
  const { shards, config } = deps;
  const found = await shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions })
      .from(webhookDeliveries)
      .leftJoin(
        webhookSubscriptions,
        and(
          eq(webhookSubscriptions.organizationId, webhookDeliveries.organizationId),
          eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId),
        ),
      )
      .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.id, deliveryId)));
    return row;
  });
  if (!found || found.delivery.status === 'delivered') return;
  const { delivery, subscription } = found;
  if (subscription?.status !== 'active') {
    await shards.withTenant(organizationId, (tx) =>
      tx
        .update(webhookDeliveries)
        .set({
          status: 'failed',
          error: 'The subscription is disabled or deleted',
          nextAttemptAt: null,
          updatedAt: new Date(),
        })
        .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.id, deliveryId))),
    );
    return;
  }
  const body = JSON.stringify(delivery.body);
  // Opened just for the signature: the plaintext never leaves this function.
  const secret = await openWebhookSecret(deps.secrets, subscription.id, subscription.secret);
  const timestamp = Math.floor(Date.now() / 1000);
  const result = await postWebhook(
    subscription.url,
    {
      'user-agent': 'crm-webhooks/1',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, timestamp, body),
    },
    body,
    { timeoutMs: config.timeoutMs, allowPrivate: config.allowPrivate },
  );
  const ok = delivered(result);
  const last = !ok && job.retryCount >= job.data.retryLimit;
  await shards.withTenant(organizationId, async (tx) => {
    const now = new Date();
    await tx
      .update(webhookDeliveries)
      .set({
        status: ok ? 'delivered' : last ? 'failed' : 'retrying',
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        responseStatus: result.status,
        responseExcerpt: result.excerpt,
        error: ok ? null : failureOf(result),
        durationMs: result.durationMs,
        lastAttemptAt: now,
        deliveredAt: ok ? now : null,
        nextAttemptAt: ok || last ? null : nextAttemptAfter(config, job.retryCount),
        updatedAt: now,
      })
      .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.id, deliveryId)));
    const where = and(
      eq(webhookSubscriptions.organizationId, organizationId),
      eq(webhookSubscriptions.id, subscription.id),
    );
    if (ok) {
      await tx.update(webhookSubscriptions).set({ consecutiveFailures: 0 }).where(where);
      return;
    }
    if (!last) return;
    const [counted] = await tx
      .update(webhookSubscriptions)
      .set({ consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1` })
      .where(where)
      .returning({ failures: webhookSubscriptions.consecutiveFailures, status: webhookSubscriptions.status });
    if (counted && counted.status === 'active' && counted.failures >= config.disableAfter) {
      await disableSubscription(
        tx,
        deps,
        { ...subscription, consecutiveFailures: counted.failures },
        failureOf(result),
      );
    }
  });
  if (!ok) throw new Error(`webhook delivery ${deliveryId}: ${failureOf(result)} (attempt ${job.retryCount + 1})`);
}

type Subscription = typeof webhookSubscriptions.$inferSelect;

/** Turns a failing subscription off, records it (audit + `webhook.disabled` event) and tells every admin. */
async function disableSubscription(
  tx: Tx,
  deps: DeliverDeps,
  subscription: Subscription,
  lastError: string,
): Promise<void> {
  const { organizationId } = subscription;
  const reason = `Disabled after ${subscription.consecutiveFailures} failed deliveries in a row (last: ${lastError})`;
  await tx
    .update(webhookSubscriptions)
    .set({ status: 'disabled', disabledReason: reason, disabledAt: new Date(), updatedAt: new Date() })
    .where(and(eq(webhookSubscriptions.organizationId, organizationId), eq(webhookSubscriptions.id, subscription.id)));
  await recordChange(tx, {
    organizationId,
    actor: {},
    action: 'webhook.disabled',
    target: { type: 'webhook', id: subscription.id },
    changes: { status: ['active', 'disabled'], reason },
    event: {
      type: 'webhook.disabled',
      payload: { id: subscription.id, url: subscription.url, failures: subscription.consecutiveFailures, reason },
    },
  });
  const admins = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, and(eq(users.organizationId, memberships.organizationId), eq(users.id, memberships.userId)))
    .where(
      and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'admin'), eq(users.status, 'active')),
    );
  for (const admin of admins) {
    await notify(
      tx,
      { jobs: deps.jobs },
      {
        organizationId,
        userId: admin.userId,
        type: 'webhook_disabled',
        title: 'A webhook was disabled after repeated failures',
        body: `Deliveries to ${subscription.url} kept failing, so it was turned off. Fix the receiver, then enable it again.`,
        link: { type: 'webhook', id: subscription.id },
        details: { url: subscription.url, failures: subscription.consecutiveFailures, lastError },
      },
    );
  }
}
