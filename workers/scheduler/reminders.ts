import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, taskReminders } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { type NotifyDeps, notify } from '../../regions/notifications/notify.ts';
import { organizationsWithDueReminders } from './scan.ts';

/** Reminders sent per organization per run; a larger backlog goes out on the next minute's run. */
const BATCH = 100;

/**
 * Keeps a task's reminder in step with the task, re-reading it (so replays and reordered events converge): an open
 * task with a due time and an owner is reminded `leadMinutes` before it is due; a task that is done, deleted,
 * unowned, no longer a task or already overdue has none. A moved due time or owner makes a new, unsent reminder.
 */
export async function syncTaskReminder(
  tx: Tx,
  organizationId: string,
  activityId: string,
  leadMinutes: number,
  now = new Date(),
): Promise<void> {
  const [task] = await tx
    .select({ type: activities.type, done: activities.done, dueAt: activities.dueAt, ownerId: activities.ownerId })
    .from(activities)
    .where(and(eq(activities.organizationId, organizationId), eq(activities.id, activityId)));
  const mine = and(eq(taskReminders.organizationId, organizationId), eq(taskReminders.activityId, activityId));
  if (task?.type !== 'task' || task.done || !task.dueAt || !task.ownerId || task.dueAt <= now) {
    await tx.delete(taskReminders).where(mine);
    return;
  }
  const [current] = await tx.select().from(taskReminders).where(mine);
  if (current && current.dueAt.getTime() === task.dueAt.getTime() && current.ownerId === task.ownerId) return;
  const reminder = {
    ownerId: task.ownerId,
    dueAt: task.dueAt,
    remindAt: new Date(task.dueAt.getTime() - leadMinutes * 60_000),
    remindedAt: null,
    updatedAt: now,
  };
  await tx
    .insert(taskReminders)
    .values({ organizationId, activityId, ...reminder })
    .onConflictDoUpdate({ target: [taskReminders.organizationId, taskReminders.activityId], set: reminder });
}

/**
 * Sends one organization's reminders due by `now`. The rows are claimed `FOR UPDATE SKIP LOCKED` and marked sent
 * in the same transaction as their notifications, so two processes running this at once never send one twice:
 * the second skips rows the first holds, and finds them sent once it commits.
 */
export async function sendOrganizationReminders(
  tx: Tx,
  deps: NotifyDeps,
  organizationId: string,
  now: Date,
): Promise<number> {
  const due = await tx
    .select()
    .from(taskReminders)
    .where(
      and(
        eq(taskReminders.organizationId, organizationId),
        lte(taskReminders.remindAt, now),
        isNull(taskReminders.remindedAt),
      ),
    )
    .orderBy(asc(taskReminders.remindAt))
    .limit(BATCH)
    .for('update', { skipLocked: true });
  if (due.length === 0) return 0;
  const ids = due.map((r) => r.activityId);
  const tasks = await tx
    .select()
    .from(activities)
    .where(and(eq(activities.organizationId, organizationId), inArray(activities.id, ids)));
  let sent = 0;
  for (const reminder of due) {
    const task = tasks.find((t) => t.id === reminder.activityId);
    // The task may have changed since the reminder was written and its event not reached the scheduler yet.
    const current =
      task &&
      task.type === 'task' &&
      !task.done &&
      task.ownerId === reminder.ownerId &&
      task.dueAt?.getTime() === reminder.dueAt.getTime();
    if (!current) continue;
    await notify(tx, deps, {
      organizationId,
      userId: reminder.ownerId,
      type: 'task_due',
      title: `Task due: ${task.subject}`,
      body: `Due ${reminder.dueAt.toISOString()}`,
      link: { type: 'activity', id: task.id },
      details: { dueAt: reminder.dueAt.toISOString() },
    });
    sent++;
  }
  await tx
    .update(taskReminders)
    .set({ remindedAt: now })
    .where(and(eq(taskReminders.organizationId, organizationId), inArray(taskReminders.activityId, ids)));
  return sent;
}

/** One run of the reminder job: every organization of the region's shards with reminders due, each on its own. */
export async function sendDueReminders(
  shards: ShardSet,
  deps: NotifyDeps & { log: { error(o: object, m: string): void } },
  now = new Date(),
): Promise<number> {
  let sent = 0;
  for (const shard of shards.all()) {
    for (const organizationId of await organizationsWithDueReminders(shard, now)) {
      try {
        sent += await shards.withTenant(organizationId, (tx) =>
          sendOrganizationReminders(tx, deps, organizationId, now),
        );
      } catch (err) {
        deps.log.error({ err, organizationId }, 'task reminders failed for an organization');
      }
    }
  }
  return sent;
}
