import type { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';
import { badRequest, notFound } from '../../openapi/errors.ts';
import type { WebhookSubscriptionInput, WebhookSubscriptionPatch } from '../../openapi/schemas/webhooks.ts';
import { refuseWebhookUrl } from '../../workers/webhooks/address.ts';
import { webhookConfig } from '../../workers/webhooks/config.ts';
import { enqueueDelivery } from '../../workers/webhooks/fanout.ts';
import { newWebhookSecret } from '../../workers/webhooks/signature.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { sealWebhookSecret } from './secrets.ts';
import { deliveryView, subscriptionView } from './views.ts';

type Subscription = typeof webhookSubscriptions.$inferSelect;

function checkUrl(url: string): void {
  const refused = refuseWebhookUrl(url, webhookConfig().allowPrivate);
  if (refused) throw badRequest('invalid_webhook_url', refused, [{ path: 'url', message: refused }]);
}

/** The admin's organization, once they may manage webhooks. */
export function adminOrganization(actor: Actor): string {
  assertCan(actor.principal, 'webhooks:manage');
  return actor.principal.organizationId;
}

/** The organization's subscription, or 404: another organization's id is as unknown as a made-up one. */
/**
 * The subscription, or 404. A write locks it (`forUpdate`): without the lock a delete committed between this read
 * and the write's UPDATE left the UPDATE with no row, and the answer was a 500 (found by the attack suite,
 * regions/webhooks/concurrent-delete.test.ts).
 */
export async function findSubscription(
  tx: Tx,
  organizationId: string,
  id: string,
  { forUpdate = false } = {},
): Promise<Subscription> {
  const query = tx
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.organizationId, organizationId), eq(webhookSubscriptions.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('Webhook');
  return row;
}

const uniqueTypes = (types: readonly string[]) => [...new Set(types)];

export async function createWebhook(ctx: RegionContext, actor: Actor, input: z.infer<typeof WebhookSubscriptionInput>) {
  const organizationId = adminOrganization(actor);
  checkUrl(input.url);
  const secret = newWebhookSecret();
  const id = newId();
  const sealed = await sealWebhookSecret(ctx.secrets, id, secret);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({
        organizationId,
        id,
        url: input.url,
        description: input.description ?? null,
        eventTypes: uniqueTypes(input.eventTypes),
        secret: sealed,
        createdBy: actorId(actor.principal),
      })
      .returning();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'webhook.created',
      target: { type: 'webhook', id: row!.id },
      changes: { url: row!.url, eventTypes: row!.eventTypes },
    });
    return { subscription: subscriptionView(row!), secret };
  });
}

export async function listWebhooks(ctx: RegionContext, actor: Actor) {
  const organizationId = adminOrganization(actor);
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.organizationId, organizationId))
      .orderBy(asc(webhookSubscriptions.id)),
  );
  return { data: rows.map(subscriptionView) };
}

export async function getWebhook(ctx: RegionContext, actor: Actor, id: string) {
  const organizationId = adminOrganization(actor);
  return subscriptionView(
    await ctx.shards.withTenant(organizationId, (tx) => findSubscription(tx, organizationId, id)),
  );
}

export async function updateWebhook(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof WebhookSubscriptionPatch>,
) {
  const organizationId = adminOrganization(actor);
  if (patch.url !== undefined) checkUrl(patch.url);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const before = await findSubscription(tx, organizationId, id, { forUpdate: true });
    const enabling = patch.status === 'active' && before.status !== 'active';
    const disabling = patch.status === 'disabled' && before.status !== 'disabled';
    const [row] = await tx
      .update(webhookSubscriptions)
      .set({
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.eventTypes !== undefined ? { eventTypes: uniqueTypes(patch.eventTypes) } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(enabling
          ? { status: 'active' as const, disabledReason: null, disabledAt: null, consecutiveFailures: 0 }
          : {}),
        ...(disabling
          ? { status: 'disabled' as const, disabledReason: 'Disabled by an admin', disabledAt: new Date() }
          : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(webhookSubscriptions.organizationId, organizationId), eq(webhookSubscriptions.id, id)))
      .returning();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'webhook.updated',
      target: { type: 'webhook', id },
      changes: { ...patch },
    });
    return subscriptionView(row!);
  });
}

export async function deleteWebhook(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const organizationId = adminOrganization(actor);
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const before = await findSubscription(tx, organizationId, id, { forUpdate: true });
    await tx
      .delete(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.organizationId, organizationId), eq(webhookSubscriptions.id, id)));
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'webhook.deleted',
      target: { type: 'webhook', id },
      changes: { url: before.url },
    });
  });
}

export async function rotateWebhookSecret(ctx: RegionContext, actor: Actor, id: string) {
  const organizationId = adminOrganization(actor);
  const secret = newWebhookSecret();
  const sealed = await sealWebhookSecret(ctx.secrets, id, secret);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    await findSubscription(tx, organizationId, id, { forUpdate: true });
    const [row] = await tx
      .update(webhookSubscriptions)
      .set({ secret: sealed, updatedAt: new Date() })
      .where(and(eq(webhookSubscriptions.organizationId, organizationId), eq(webhookSubscriptions.id, id)))
      .returning();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'webhook.secret_rotated',
      target: { type: 'webhook', id },
    });
    return { subscription: subscriptionView(row!), secret };
  });
}

/** Queues a `webhook.test` delivery to one subscription, delivered and logged like any event's. */
export async function testWebhook(ctx: RegionContext, actor: Actor, id: string) {
  const organizationId = adminOrganization(actor);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const subscription = await findSubscription(tx, organizationId, id, { forUpdate: true });
    const eventId = newId();
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        organizationId,
        id: newId(),
        subscriptionId: subscription.id,
        eventId,
        eventType: 'webhook.test',
        body: {
          id: eventId,
          type: 'webhook.test',
          occurredAt: new Date().toISOString(),
          organizationId,
          data: { subscriptionId: subscription.id, message: 'A test event sent from the CRM' },
        },
        nextAttemptAt: new Date(),
      })
      .returning();
    await enqueueDelivery(tx, ctx.jobs, webhookConfig(), row!);
    return deliveryView(row!);
  });
}
