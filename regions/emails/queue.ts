import type { SendOptions } from 'pg-boss';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { type EmailKind, emailMessages } from '../../db/schema/index.ts';
import { type EmailConfig, emailConfig } from '../../workers/email/config.ts';
import { checkTemplateData, renderEmail, type TemplateData, type TemplateName } from '../../workers/email/templates.ts';
import type { JobQueues } from '../jobs/queue.ts';

/** The email worker's queue: one job per email row. */
export const EMAIL_QUEUE = 'email.send';

/**
 * A job names its email; the row holds the rest. `retryLimit` is the job's own, so its last attempt knows it is;
 * `reserved` marks a job the throttle put off to a slot it already paid for (workers/email/throttle.ts).
 */
export type EmailJob = { organizationId: string; emailId: string; retryLimit: number; reserved?: boolean };

export type EmailRow = typeof emailMessages.$inferSelect;

/** Anything that can enqueue inside a transaction: a region's or a worker's job queues. */
export type JobSender = Pick<JobQueues, 'send'>;

/**
 * Which emails the worker fetches first (pg-boss: higher first, then oldest). Someone is waiting at a screen for a
 * transactional email (a password-reset or sign-up link, a rep's one-off email); notifications come by the hundred
 * after one bulk assignment and must not hold those up; a campaign's go last.
 */
export const EMAIL_PRIORITY: Record<EmailKind, number> = { transactional: 20, notification: 10, bulk: 0 };

/** Retries with exponential backoff from the configured delay, capped at an hour between attempts. */
export function emailJobOptions(kind: EmailKind, config: EmailConfig = emailConfig()): SendOptions {
  return {
    retryLimit: config.retryLimit,
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: 3600,
    priority: EMAIL_PRIORITY[kind],
  };
}

export type NewEmail<N extends TemplateName> = {
  organizationId: string;
  kind: EmailKind;
  template: N;
  data: TemplateData<N>;
  to: string;
  contactId?: string | null;
  userId?: string | null;
  campaignId?: string | null;
  activityId?: string | null;
  createdBy?: string | null;
};

/** The row of a new email: its data checked against the template (a caller's mistake is its own error, not a
 * failed job later) and its subject rendered, for lists and the activity log. */
function newRow<N extends TemplateName>(email: NewEmail<N>, config: EmailConfig): typeof emailMessages.$inferInsert {
  const data = checkTemplateData(email.template, email.data) as Record<string, unknown>;
  const { subject } = renderEmail(email.template, data, { publicBaseUrl: config.publicBaseUrl });
  return {
    organizationId: email.organizationId,
    id: newId(),
    kind: email.kind,
    template: email.template,
    data,
    toAddress: email.to.trim().toLowerCase(),
    subject,
    contactId: email.contactId ?? null,
    userId: email.userId ?? null,
    campaignId: email.campaignId ?? null,
    activityId: email.activityId ?? null,
    createdBy: email.createdBy ?? null,
  };
}

/**
 * Queues one email inside the caller's transaction: its row (status `queued`) and its `email.send` job commit or
 * roll back with the write that causes them.
 */
export async function queueEmail<N extends TemplateName>(
  tx: Tx,
  jobs: JobSender,
  email: NewEmail<N>,
  config: EmailConfig = emailConfig(),
  options: SendOptions = {},
): Promise<EmailRow> {
  const [row] = await tx.insert(emailMessages).values(newRow(email, config)).returning();
  await sendEmailJob(tx, jobs, row!, config, options);
  return row!;
}

const CHUNK = 500;

/**
 * Queues many emails of one organization (a campaign) inside the caller's transaction, 500 rows and 500 jobs to a
 * statement, so ten thousand take a few dozen round trips rather than twenty thousand.
 */
export async function queueEmails<N extends TemplateName>(
  tx: Tx,
  jobs: Pick<JobQueues, 'sendMany'>,
  emails: readonly NewEmail<N>[],
  config: EmailConfig = emailConfig(),
): Promise<number> {
  for (let start = 0; start < emails.length; start += CHUNK) {
    const rows = emails.slice(start, start + CHUNK).map((email) => newRow(email, config));
    await tx.insert(emailMessages).values(rows);
    await jobs.sendMany(
      tx,
      EMAIL_QUEUE,
      rows.map((row) => {
        const options = emailJobOptions(row.kind, config);
        const data: EmailJob = { organizationId: row.organizationId, emailId: row.id!, retryLimit: config.retryLimit };
        return {
          data,
          options: {
            priority: options.priority,
            retryLimit: options.retryLimit,
            retryDelay: options.retryDelay,
            retryBackoff: options.retryBackoff,
            retryDelayMax: options.retryDelayMax,
          },
        };
      }),
    );
  }
  return emails.length;
}

/** Enqueues the job of an email row (again, to its reserved slot, when the throttle puts it off). */
export async function sendEmailJob(
  tx: Tx,
  jobs: JobSender,
  row: Pick<EmailRow, 'organizationId' | 'id' | 'kind'>,
  config: EmailConfig = emailConfig(),
  options: SendOptions = {},
  reserved = false,
): Promise<void> {
  const jobOptions = { ...emailJobOptions(row.kind, config), ...options };
  const job: EmailJob = {
    organizationId: row.organizationId,
    emailId: row.id,
    retryLimit: jobOptions.retryLimit ?? config.retryLimit,
    ...(reserved ? { reserved } : {}),
  };
  await jobs.send(tx, EMAIL_QUEUE, job, jobOptions);
}
