import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, organizationId, updatedAt } from './columns.ts';

/** What a member can watch: a record (its changes) or a saved view (records newly in it, as a digest). */
export const watchTargetTypes = ['lead', 'contact', 'company', 'deal', 'saved_view'] as const;
export type WatchTargetType = (typeof watchTargetTypes)[number];

/**
 * A member watching a record or a saved view. `watermark` is how far the saved-view digest has looked: the
 * scheduler reports records of the view changed after it and moves it to the time of its run (null for records).
 */
export const watches = pgTable(
  'watches',
  {
    organizationId: organizationId(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    targetType: text('target_type', { enum: watchTargetTypes }).notNull(),
    targetId: uuid('target_id').notNull(),
    watermark: at('watermark'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('watches_org_user_target').on(t.organizationId, t.userId, t.targetType, t.targetId),
    // A record's watchers, found for every event of the record.
    index('watches_org_target').on(t.organizationId, t.targetId),
    // The saved-view watches the digest walks, every organization's at once (the scheduler's read policy).
    index('watches_saved_views').on(t.organizationId, t.id).where(sql`${t.targetType} = 'saved_view'`),
  ],
);

/**
 * The reminder of a task: due at `remindAt` to its owner, sent once (`remindedAt`). Kept in step with the task by
 * the scheduler from the task's events; a reminder whose task moved is rewritten and may be sent again.
 */
export const taskReminders = pgTable(
  'task_reminders',
  {
    organizationId: organizationId(),
    activityId: uuid('activity_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    dueAt: at('due_at').notNull(),
    remindAt: at('remind_at').notNull(),
    remindedAt: at('reminded_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.activityId] }),
    // Plain columns and IS NULL only: under RLS a non-leakproof expression could never be an index condition.
    index('task_reminders_org_pending').on(t.organizationId, t.remindAt).where(sql`${t.remindedAt} is null`),
    index('task_reminders_pending').on(t.remindAt).where(sql`${t.remindedAt} is null`),
  ],
);
