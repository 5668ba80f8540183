import type { ShardSet } from '../../db/shard-set.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import { applyEachOnce, ofRegion } from '../../regions/events/consumer.ts';
import { secretBoxFromEnv } from '../../regions/support/secret-keys.ts';
import type { Worker } from '../context.ts';
import { type WebhookConfig, webhookConfig } from './config.ts';
import { deliverWebhook } from './deliver.ts';
import { type DeliverJob, fanOutEvents, WEBHOOK_DELIVER_QUEUE } from './fanout.ts';

/** The consumer name under which processed events are recorded (processed_events). */
export const webhooksConsumer = 'webhooks';

/** Queues events' deliveries at most once each, however often the bus delivers them; resolves those applied now. */
export function webhooksHandler(shards: ShardSet, jobs: JobSender, config: WebhookConfig) {
  return applyEachOnce(shards, webhooksConsumer, async (tx, events) => {
    await fanOutEvents(tx, jobs, config, events);
  });
}

/**
 * Outgoing webhooks: the `webhooks-<region>` group turns every event of the region's organizations into
 * deliveries for the subscriptions that want it, and `webhook.deliver` jobs POST them, signed, retrying with
 * exponential backoff for up to a day (config.ts). Retry options travel on each job, so the queue's own are only
 * defaults.
 */
export const webhooksWorker: Worker = {
  name: 'webhooks',
  queues: [{ name: WEBHOOK_DELIVER_QUEUE, retryLimit: 28, retryDelay: 60, retryBackoff: true, retryDelayMax: 3600 }],
  consumerGroups: (region) => [`webhooks-${region}`],
  async start(ctx) {
    const config = webhookConfig(ctx.env);
    // Signing secrets are sealed at rest: the region's box, or one from the same settings in a worker process.
    const secrets = ctx.secrets ?? (await secretBoxFromEnv(ctx.env));
    await ctx.jobs.work<DeliverJob>(WEBHOOK_DELIVER_QUEUE, { concurrency: 4 }, (job) =>
      deliverWebhook({ shards: ctx.shards, jobs: ctx.jobs, config, secrets }, job),
    );
    const handle = webhooksHandler(ctx.shards, ctx.jobs, config);
    return ctx.bus.subscribeBatches(`webhooks-${ctx.region}`, {}, async (events) => {
      await handle(ofRegion(events, ctx.region));
    });
  },
};
