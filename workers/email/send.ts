import { and, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Job } from 'pg-boss';
import type { Logger } from 'pino';
import type { Tx } from '../../db/database.ts';
import { emailMessages } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { type EmailJob, type EmailRow, type JobSender, sendEmailJob } from '../../regions/emails/queue.ts';
import { suppress, suppressionOf } from '../../regions/emails/suppression.ts';
import { recordChange } from '../../regions/support/record.ts';
import type { EmailConfig } from './config.ts';
import { classifySendFailure } from './failure.ts';
import { renderEmail, TemplateError } from './templates.ts';
import { takeOrganizationTurn } from './throttle.ts';
import type { MailTransport } from './transport.ts';

export type EmailSenderDeps = {
  shards: ShardSet;
  jobs: JobSender;
  transport: MailTransport;
  config: EmailConfig;
  log: Logger;
  now?: () => Date;
};

/** What became of one job: sent, not sent for good (suppressed, bounced, failed), put off by the throttle, or moot. */
export type SendOutcome = 'sent' | 'suppressed' | 'bounced' | 'failed' | 'deferred' | 'skipped';

const settled = new Set(['sent', 'suppressed', 'bounced', 'failed']);
const system = { principal: null };

type Claim = { outcome: Exclude<SendOutcome, 'sent' | 'bounced' | 'failed'> } | { outcome: 'send'; row: EmailRow };

async function update(tx: Tx, row: EmailRow, set: PgUpdateSetSource<typeof emailMessages>) {
  await tx
    .update(emailMessages)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(emailMessages.organizationId, row.organizationId), eq(emailMessages.id, row.id)));
}

/**
 * The `email.send` job: checks the address against the suppression list, takes its turn from the organization's
 * throttle (a campaign email may be put off, once, to its slot), claims the email and hands it to the transport,
 * then records how it went. A permanent refusal suppresses the address and ends the job; a temporary one throws,
 * so pg-boss retries it with backoff and, once the retries are used up, moves it to `email.send.dead`.
 */
export function emailSender(deps: EmailSenderDeps) {
  const now = deps.now ?? (() => new Date());

  const claim = (job: Job<EmailJob>): Promise<Claim> =>
    deps.shards.withTenant(job.data.organizationId, async (tx) => {
      const [row] = await tx
        .select()
        .from(emailMessages)
        .where(and(eq(emailMessages.organizationId, job.data.organizationId), eq(emailMessages.id, job.data.emailId)))
        .for('update');
      if (!row || settled.has(row.status)) return { outcome: 'skipped' };
      // Another job holds the send (a put-off job's first copy came back after a crash): it finishes it.
      if (row.status === 'sending' && row.claimedBy !== job.id) return { outcome: 'skipped' };
      const reason = await suppressionOf(tx, row.organizationId, row.toAddress, row.kind);
      if (reason) {
        await update(tx, row, {
          status: 'suppressed',
          lastError: `The address is suppressed (${reason})`,
          claimedBy: null,
        });
        return { outcome: 'suppressed' };
      }
      // A job put off to its reserved slot has paid for its turn; a retry of it pays again.
      if (!(job.data.reserved && job.retryCount === 0)) {
        const mode = row.kind === 'bulk' ? 'reserve' : 'now';
        const turn = await takeOrganizationTurn(tx, row.organizationId, now(), deps.config, mode);
        if (turn.waitMs > 0) {
          await update(tx, row, { status: 'queued', claimedBy: null });
          const startAfter = new Date(now().getTime() + turn.waitMs);
          await sendEmailJob(tx, deps.jobs, row, deps.config, { startAfter }, true);
          return { outcome: 'deferred' };
        }
      }
      await update(tx, row, { status: 'sending', claimedBy: job.id, attempts: sql`${emailMessages.attempts} + 1` });
      return { outcome: 'send', row };
    });

  const finish = (row: EmailRow, work: (tx: Tx) => Promise<void>) => deps.shards.withTenant(row.organizationId, work);

  return async function sendEmail(job: Job<EmailJob>): Promise<SendOutcome> {
    const claimed = await claim(job);
    if (claimed.outcome !== 'send') return claimed.outcome;
    const { row } = claimed;
    let rendered: ReturnType<typeof renderEmail>;
    try {
      rendered = renderEmail(row.template, row.data, { publicBaseUrl: deps.config.publicBaseUrl });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      await finish(row, (tx) => update(tx, row, { status: 'failed', lastError: error.message, claimedBy: null }));
      deps.log.error({ emailId: row.id, err: error }, 'email not renderable; not sent');
      return 'failed';
    }
    const domain = deps.config.fromAddress.split('@')[1] ?? 'crm.localhost';
    try {
      // The row's id is the Message-ID, so a receiver can tell a resend after a crash from a new message.
      const sent = await deps.transport.send({ ...rendered, to: row.toAddress, messageId: `<${row.id}@${domain}>` });
      await finish(row, (tx) =>
        update(tx, row, {
          status: 'sent',
          sentAt: now(),
          smtpMessageId: sent.messageId,
          lastError: null,
          claimedBy: null,
        }),
      );
      return 'sent';
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure.kind === 'bounce') {
        await finish(row, async (tx) => {
          await update(tx, row, { status: 'bounced', lastError: failure.message, claimedBy: null });
          await suppress(tx, {
            organizationId: row.organizationId,
            address: row.toAddress,
            reason: 'bounced',
            detail: failure.message,
          });
          await recordEmailOutcome(tx, row, 'email.bounced', failure);
        });
        deps.log.info({ emailId: row.id, code: failure.responseCode }, 'email bounced; address suppressed');
        return 'bounced';
      }
      const last = job.retryCount >= job.data.retryLimit;
      await finish(row, async (tx) => {
        await update(
          tx,
          row,
          last ? { status: 'failed', lastError: failure.message, claimedBy: null } : { lastError: failure.message },
        );
        if (last) await recordEmailOutcome(tx, row, 'email.failed', failure);
      });
      throw new Error(`email ${row.id}: temporary failure (attempt ${job.retryCount + 1}): ${failure.message}`);
    }
  };
}

/** A bounce or a final failure is part of the record's history: an audit row and an event (for webhooks). */
async function recordEmailOutcome(
  tx: Tx,
  row: EmailRow,
  action: 'email.bounced' | 'email.failed',
  failure: { message: string; responseCode: number | null },
) {
  const payload = {
    emailId: row.id,
    kind: row.kind,
    address: row.toAddress,
    contactId: row.contactId,
    campaignId: row.campaignId,
    responseCode: failure.responseCode,
    error: failure.message,
  };
  await recordChange(tx, {
    organizationId: row.organizationId,
    actor: system,
    action,
    target: { type: 'email', id: row.id },
    changes: payload,
    event: { type: action, payload },
  });
}
