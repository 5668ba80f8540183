import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import {
  type NotificationChannel,
  type NotificationLinkType,
  type NotificationType,
  notificationCounters,
  notificationPreferences,
  notifications,
  users,
} from '../../db/schema/index.ts';
import type { EmailConfig } from '../../workers/email/config.ts';
import type { TemplateData } from '../../workers/email/templates.ts';
import { type JobSender, queueEmail } from '../emails/queue.ts';
import { effectivePreferences } from './defaults.ts';

/** The queue of SMS and push deliveries; workers/notify hands them to the SMS and push ports. */
export const NOTIFICATION_DELIVERY_QUEUE = 'notification.deliver';

export type NotificationLink = { type: NotificationLinkType; id: string };

export type NotifyInput = {
  organizationId: string;
  userId: string;
  type: NotificationType;
  title: string;
  body?: string;
  link?: NotificationLink | null;
  /** Extra facts for the email template of the type: a task's due time, a disabled webhook's URL and failures. */
  details?: { dueAt?: string | null; url?: string; failures?: number; lastError?: string };
};

/** What notify needs besides the transaction: somewhere to enqueue (a region's or a worker's job queues). */
export type NotifyDeps = { jobs: JobSender; emailConfig?: EmailConfig };

export type DeliveryJob = {
  organizationId: string;
  channel: Extract<NotificationChannel, 'sms' | 'push'>;
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  link: NotificationLink | null;
};

export type NotifyResult = {
  /** The in-app notification, when that channel is on. */
  notificationId: string | null;
  /** The channels the notification went out on (email and SMS/push as queued jobs). */
  channels: NotificationChannel[];
};

const TITLE_MAX = 200;
const BODY_MAX = 2000;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Notifies a member, inside the transaction of the write that causes it (dispatch's `lead.assigned`, the
 * scheduler's task reminders, a workflow's "notify a user"), so the notification exists exactly when the write
 * does. By the member's preferences for the type: the in-app row (numbered in their stream, which the live
 * stream reads), an `email.send` job, and `notification.deliver` jobs for SMS and push. A member who is not
 * active in the organization gets nothing.
 */
export async function notify(tx: Tx, deps: NotifyDeps, input: NotifyInput): Promise<NotifyResult> {
  const { organizationId, userId, type } = input;
  const [user] = await tx
    .select({ email: users.email, status: users.status })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
  if (user?.status !== 'active') return { notificationId: null, channels: [] };
  const stored = await tx
    .select({
      type: notificationPreferences.type,
      channel: notificationPreferences.channel,
      enabled: notificationPreferences.enabled,
    })
    .from(notificationPreferences)
    .where(
      and(
        eq(notificationPreferences.organizationId, organizationId),
        eq(notificationPreferences.userId, userId),
        eq(notificationPreferences.type, type),
      ),
    );
  const wanted = effectivePreferences(stored)[type];
  const title = clip(input.title.replace(/[\r\n]+/g, ' ').trim() || type, TITLE_MAX);
  const body = clip(input.body ?? '', BODY_MAX);
  const link = input.link ?? null;
  const channels: NotificationChannel[] = [];
  let notificationId: string | null = null;

  if (wanted.in_app) {
    notificationId = newId();
    const seq = await nextSeq(tx, organizationId, userId);
    await tx.insert(notifications).values({
      organizationId,
      id: notificationId,
      userId,
      seq,
      type,
      title,
      body,
      linkType: link?.type ?? null,
      linkId: link?.id ?? null,
    });
    channels.push('in_app');
  }
  if (wanted.email) {
    const notice = { type, title, body, link };
    const email =
      type === 'task_due'
        ? ({ template: 'task_reminder', data: { ...notice, dueAt: input.details?.dueAt ?? null } } as const)
        : type === 'webhook_disabled'
          ? ({ template: 'webhook_disabled', data: { ...notice, ...webhookFacts(input.details) } } as const)
          : ({ template: 'notification', data: notice } as const);
    await queueEmail(
      tx,
      deps.jobs,
      {
        organizationId,
        kind: 'notification',
        template: email.template,
        data: email.data as TemplateData<typeof email.template>,
        to: user.email,
        userId,
      },
      deps.emailConfig,
    );
    channels.push('email');
  }
  for (const channel of ['sms', 'push'] as const) {
    if (!wanted[channel]) continue;
    const job: DeliveryJob = { organizationId, channel, userId, type, title, body, link };
    await deps.jobs.send(tx, NOTIFICATION_DELIVERY_QUEUE, job, { retryLimit: 5, retryDelay: 30, retryBackoff: true });
    channels.push(channel);
  }
  return { notificationId, channels };
}

const webhookFacts = (details: NotifyInput['details']) => ({
  ...(details?.url ? { url: details.url } : {}),
  ...(details?.failures !== undefined ? { failures: details.failures } : {}),
  ...(details?.lastError ? { lastError: details.lastError } : {}),
});

/**
 * The member's next stream number. The counter row stays locked until the transaction ends, so a member's
 * notifications commit in the order of their numbers and a reader of `seq > n` never passes one still to come.
 */
async function nextSeq(tx: Tx, organizationId: string, userId: string): Promise<number> {
  const [row] = await tx
    .insert(notificationCounters)
    .values({ organizationId, userId, lastSeq: 1 })
    .onConflictDoUpdate({
      target: [notificationCounters.organizationId, notificationCounters.userId],
      set: { lastSeq: sql`${notificationCounters.lastSeq} + 1` },
    })
    .returning({ seq: notificationCounters.lastSeq });
  return row!.seq;
}
