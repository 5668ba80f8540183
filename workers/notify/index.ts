import type { ShardSet } from '../../db/shard-set.ts';
import type { JobSender } from '../../regions/emails/queue.ts';
import { applyEachOnce, eachEvent, ofRegion } from '../../regions/events/consumer.ts';
import { type DeliveryJob, NOTIFICATION_DELIVERY_QUEUE } from '../../regions/notifications/notify.ts';
import type { Worker } from '../context.ts';
import { assignmentOf, notifyLeadAssigned } from './lead-assigned.ts';
import { deliver, logOnlyPorts } from './ports.ts';

/** The consumer name under which processed events are recorded (processed_events). */
export const notifyConsumer = 'notify';

/** The events that notify someone. */
export const notifiedEventTypes = ['lead.assigned'];

/** Applies events' notifications at most once each, however often the bus delivers them; resolves those applied now. */
export function notifyHandler(shards: ShardSet, jobs: JobSender) {
  return applyEachOnce(
    shards,
    notifyConsumer,
    eachEvent(async (tx, event) => {
      if (event.type !== 'lead.assigned') return;
      const { assignment, explanation } = await assignmentOf(tx, event);
      await notifyLeadAssigned(tx, { jobs }, assignment, explanation);
    }),
  );
}

/**
 * Notifications: turns bus events into notifications for members (`notify-<region>`: a lead assigned to someone
 * tells them), and delivers the SMS and push notifications that `notify()` queued through their ports, whose
 * default adapters only write to the log.
 */
export const notifyWorker: Worker = {
  name: 'notify',
  queues: [{ name: NOTIFICATION_DELIVERY_QUEUE, retryLimit: 5, retryDelay: 30, retryBackoff: true }],
  consumerGroups: (region) => [`notify-${region}`],
  async start(ctx) {
    const ports = logOnlyPorts(ctx.log);
    await ctx.jobs.work<DeliveryJob>(NOTIFICATION_DELIVERY_QUEUE, { concurrency: 2 }, (job) =>
      deliver(ports, job.data),
    );
    const handle = notifyHandler(ctx.shards, ctx.jobs);
    return ctx.bus.subscribeBatches(`notify-${ctx.region}`, { types: notifiedEventTypes }, async (events) => {
      await handle(ofRegion(events, ctx.region));
    });
  },
};
