import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { webhookDeliveries } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import type { WebhookDeliveryQuery } from '../../openapi/schemas/webhooks.ts';
import { webhookConfig } from '../../workers/webhooks/config.ts';
import { enqueueDelivery } from '../../workers/webhooks/fanout.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { recordChange } from '../support/record.ts';
import { adminOrganization, findSubscription } from './subscriptions.ts';
import { deliveryView } from './views.ts';

/** A subscription's delivery log, newest first (UUIDv7 ids), a keyset page at a time. */
export async function listWebhookDeliveries(
  ctx: RegionContext,
  actor: Actor,
  subscriptionId: string,
  query: z.infer<typeof WebhookDeliveryQuery>,
) {
  const organizationId = adminOrganization(actor);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await ctx.shards.withTenant(organizationId, async (tx) => {
    await findSubscription(tx, organizationId, subscriptionId);
    return tx
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.organizationId, organizationId),
          eq(webhookDeliveries.subscriptionId, subscriptionId),
          query.status ? eq(webhookDeliveries.status, query.status) : undefined,
          after ? lt(webhookDeliveries.id, after) : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.id))
      .limit(query.limit + 1);
  });
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(deliveryView), nextCursor: more ? encodeCursor(page.at(-1)!.id) : null };
}

/** Sends a delivery again: a new round of attempts (and retries) of the same body, under the same Webhook-Id. */
export async function replayWebhookDelivery(
  ctx: RegionContext,
  actor: Actor,
  subscriptionId: string,
  deliveryId: string,
) {
  const organizationId = adminOrganization(actor);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    await findSubscription(tx, organizationId, subscriptionId);
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', nextAttemptAt: new Date(), deliveredAt: null, updatedAt: new Date() })
      .where(
        and(
          eq(webhookDeliveries.organizationId, organizationId),
          eq(webhookDeliveries.subscriptionId, subscriptionId),
          eq(webhookDeliveries.id, deliveryId),
        ),
      )
      .returning();
    if (!row) throw notFound('Delivery');
    await enqueueDelivery(tx, ctx.jobs, webhookConfig(), row);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'webhook.delivery_replayed',
      target: { type: 'webhook', id: subscriptionId },
      changes: { deliveryId },
    });
    return deliveryView(row);
  });
}
