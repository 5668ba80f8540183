import { and, asc, eq, gt, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Connection } from '../../db/database.ts';
import { taskReminders, watches } from '../../db/schema/index.ts';

/** Every organization's rows of the scheduler's tables: migration 0013's read-only policy shows them to this setting. */
const scanScope = sql`SELECT set_config('app.scheduler_scan', 'on', true)`;

/** The organizations of a shard with a reminder due by `now` (one indexed read: remind_at where not yet sent). */
export async function organizationsWithDueReminders(shard: Connection, now: Date, limit = 1000): Promise<string[]> {
  const rows = await shard.db.transaction(async (tx) => {
    await tx.execute(scanScope);
    return tx
      .selectDistinct({ organizationId: taskReminders.organizationId })
      .from(taskReminders)
      .where(and(lte(taskReminders.remindAt, now), isNull(taskReminders.remindedAt)))
      .limit(limit);
  });
  return rows.map((r) => r.organizationId);
}

export type WatchKey = { organizationId: string; id: string };

/** One page of the shard's saved-view watches, in (organization, id) order after `after`. */
export async function savedViewWatches(shard: Connection, after: WatchKey | null, limit = 500): Promise<WatchKey[]> {
  return shard.db.transaction(async (tx) => {
    await tx.execute(scanScope);
    const conditions: SQL[] = [sql`${watches.targetType} = 'saved_view'`];
    if (after) {
      conditions.push(
        or(
          gt(watches.organizationId, after.organizationId),
          and(eq(watches.organizationId, after.organizationId), gt(watches.id, after.id)),
        )!,
      );
    }
    return tx
      .select({ organizationId: watches.organizationId, id: watches.id })
      .from(watches)
      .where(and(...conditions))
      .orderBy(asc(watches.organizationId), asc(watches.id))
      .limit(limit);
  });
}
