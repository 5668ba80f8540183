import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import type { BusEvent } from '../../regions/events/bus.ts';
import { deliveryJobOptions, type WebhookConfig } from './config.ts';

export const WEBHOOK_DELIVER_QUEUE = 'webhook.deliver';

/** A delivery job names its delivery; `retryLimit` is the job's own, so its last attempt knows it is. */
export type DeliverJob = { organizationId: string; deliveryId: string; retryLimit: number };

/** `*` matches every event, `lead.*` every event whose type starts with `lead.`, anything else only itself. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}

/** What a receiver gets: the event's identity and its payload as `data`. */
export function webhookBody(event: Pick<BusEvent, 'id' | 'type' | 'occurredAt' | 'organizationId' | 'payload'>) {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    organizationId: event.organizationId,
    data: event.payload,
  };
}

/** Queues one delivery's job inside the caller's transaction. */
export async function enqueueDelivery(
  tx: Tx,
  jobs: JobSender,
  config: WebhookConfig,
  delivery: { organizationId: string; id: string },
): Promise<void> {
  const job: DeliverJob = {
    organizationId: delivery.organizationId,
    deliveryId: delivery.id,
    retryLimit: config.retryLimit,
  };
  await jobs.send(tx, WEBHOOK_DELIVER_QUEUE, job, deliveryJobOptions(config));
}

/**
 * Events of one organization to every active subscription of it that wants their type: a delivery row and its job
 * per pair, in the events' tenant transaction (applyEachOnce), so a redelivered event queues nothing twice. The
 * subscriptions are read once for all the events. Returns how many deliveries were queued.
 */
export async function fanOutEvents(
  tx: Tx,
  jobs: JobSender,
  config: WebhookConfig,
  events: readonly BusEvent[],
): Promise<number> {
  const organizationId = events[0]?.organizationId;
  if (!organizationId) return 0;
  const subscriptions = await tx
    .select({
      id: webhookSubscriptions.id,
      eventTypes: webhookSubscriptions.eventTypes,
      createdAt: webhookSubscriptions.createdAt,
    })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.organizationId, organizationId), eq(webhookSubscriptions.status, 'active')));
  let queued = 0;
  for (const event of events) {
    if (event.organizationId !== organizationId)
      throw new Error('fanOutEvents: the events must be of one organization');
    for (const subscription of subscriptions) {
      if (!matchesEventType(subscription.eventTypes, event.type)) continue;
      // A subscription hears what happens after it exists, even when the consumer catches up on an older backlog.
      if (new Date(event.occurredAt) < subscription.createdAt) continue;
      const id = newId();
      await tx.insert(webhookDeliveries).values({
        organizationId,
        id,
        subscriptionId: subscription.id,
        eventId: event.id,
        eventType: event.type,
        body: webhookBody(event),
        status: 'pending',
        nextAttemptAt: new Date(),
      });
      await enqueueDelivery(tx, jobs, config, { organizationId, id });
      queued += 1;
    }
  }
  return queued;
}
