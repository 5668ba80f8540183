import { EMAIL_QUEUE, type EmailJob } from '../../regions/emails/queue.ts';
import type { Worker } from '../context.ts';
import { emailConfig } from './config.ts';
import { emailSender } from './send.ts';
import { openTransport } from './transport.ts';

/**
 * The email worker: sends every queued email (notifications, one-off emails to contacts, bulk campaigns) through
 * SMTP, or writes it to the log when SMTP_URL is unset. See ./send.ts for suppression, throttling and bounces.
 */
export const emailWorker: Worker = {
  name: 'email',
  // The queue's defaults; each job carries the retry policy of the configuration that queued it
  // (regions/emails/queue.ts).
  queues: [{ name: EMAIL_QUEUE, retryLimit: 6, retryDelay: 60, retryBackoff: true, retryDelayMax: 3600 }],
  async start(ctx) {
    const config = emailConfig(ctx.env);
    const transport = openTransport(config, ctx.log);
    const send = emailSender({ shards: ctx.shards, jobs: ctx.jobs, transport, config, log: ctx.log });
    await ctx.jobs.work<EmailJob>(EMAIL_QUEUE, { concurrency: config.concurrency }, async (job) => {
      const outcome = await send(job);
      ctx.log.debug({ emailId: job.data.emailId, outcome }, 'email job done');
      return { outcome };
    });
    ctx.log.info({ transport: transport.kind, ratePerMinute: config.ratePerMinute }, 'email worker started');
    return {
      // The runtime stops the job queues next, gracefully: a send in hand finishes, the rest stay queued. The SMTP
      // transport holds no connection between messages, so there is nothing else to let go of.
      async stop() {
        transport.close();
      },
    };
  },
};
