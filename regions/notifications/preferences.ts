import type { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { type NotificationChannel, type NotificationType, notificationPreferences } from '../../db/schema/index.ts';
import type { NotificationPreferencesInput } from '../../openapi/schemas/notifications.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { memberOf } from './access.ts';
import { defaultPreferences, effectivePreferences } from './defaults.ts';

async function storedPreferences(tx: Tx, organizationId: string, userId: string) {
  const t = notificationPreferences;
  return tx
    .select({ type: t.type, channel: t.channel, enabled: t.enabled })
    .from(t)
    .where(and(eq(t.organizationId, organizationId), eq(t.userId, userId)));
}

export async function getNotificationPreferences(ctx: RegionContext, { principal }: Actor) {
  const { organizationId, userId } = memberOf(principal);
  const stored = await ctx.shards.withTenant(organizationId, (tx) => storedPreferences(tx, organizationId, userId));
  return { preferences: effectivePreferences(stored) };
}

/**
 * Sets the channels the request names. A setting equal to the default is stored like any other (so a later
 * change of defaults does not override a choice the member made); the audit row lists what changed.
 */
export async function updateNotificationPreferences(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof NotificationPreferencesInput>,
) {
  const { organizationId, userId } = memberOf(actor.principal);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const before = effectivePreferences(await storedPreferences(tx, organizationId, userId));
    const changes: Record<string, [boolean, boolean]> = {};
    const rows: (typeof notificationPreferences.$inferInsert)[] = [];
    for (const [type, channels] of Object.entries(input.preferences) as [NotificationType, object][]) {
      for (const [channel, enabled] of Object.entries(channels) as [NotificationChannel, boolean][]) {
        if (enabled === undefined || !(channel in defaultPreferences[type])) continue;
        rows.push({ organizationId, userId, type, channel, enabled, updatedAt: new Date() });
        if (before[type][channel] !== enabled) changes[`${type}.${channel}`] = [before[type][channel], enabled];
      }
    }
    const t = notificationPreferences;
    if (rows.length > 0) {
      await tx
        .insert(t)
        .values(rows)
        .onConflictDoUpdate({
          target: [t.organizationId, t.userId, t.type, t.channel],
          set: { enabled: sql`excluded.enabled`, updatedAt: sql`excluded.updated_at` },
        });
    }
    if (Object.keys(changes).length > 0) {
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'notification_preferences.updated',
        target: { type: 'user', id: userId },
        changes,
      });
    }
    return { preferences: effectivePreferences(await storedPreferences(tx, organizationId, userId)) };
  });
}
