import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ShardSet } from '../db/shard-set.ts';
import type { EventBus } from '../regions/events/bus.ts';
import { openEventBus } from '../regions/events/open-bus.ts';
import { JobQueues } from '../regions/jobs/queue.ts';
import type { FileStorage } from '../regions/storage/port.ts';
import type { SecretBox } from '../regions/support/secret-box.ts';
import type { RunningWorker, WorkerContext } from './context.ts';
import { registerWorkerMetrics } from './metrics.ts';
import { selectWorkers, workers } from './registry.ts';

export type Background = {
  bus: EventBus;
  jobs: JobQueues;
  /** The workers this process runs. */
  names: string[];
  /** Stops the workers (in-flight work finishes or returns to its queue), then the queues and the bus. */
  stop(): Promise<void>;
};

/**
 * Opens the event bus and the job queues of a region's shards and starts the selected workers on them: inside a
 * region process (`npm start`) or alone (`npm run worker -- <name>`).
 */
export async function startBackground(options: {
  region: string;
  shards: ShardSet;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** `all`, `none` or names; see selectWorkers. */
  selection: string | undefined;
  metrics?: Registry;
  /** The region's file storage, shared with the workers that read or write files (batch). */
  storage?: FileStorage;
  /** The region's secret box (webhook signing secrets are sealed with it). */
  secrets?: SecretBox;
}): Promise<Background> {
  const { shards, log, env } = options;
  const selected = selectWorkers(options.selection, env);
  const catalog = shards.all()[0];
  if (!catalog) throw new Error(`region ${options.region}: no shards`);
  const bus = await openEventBus(
    env,
    catalog.db,
    (err, context) => log.error({ err, context }, 'event bus error'),
    options.region,
  );
  let jobs: JobQueues;
  try {
    jobs = await JobQueues.open(
      shards,
      workers.flatMap((w) => w.queues ?? []),
      { onError: (err) => log.error({ err }, 'job queue error') },
    );
  } catch (error) {
    await bus.close();
    throw error;
  }
  const ctx: WorkerContext = {
    region: options.region,
    shards,
    bus,
    jobs,
    log,
    env,
    instance: `${hostname()}:${process.pid}:${options.region}`,
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  };
  const running: RunningWorker[] = [];
  const stopAll = async () => {
    for (const worker of running.reverse()) await worker.stop().catch((err) => log.error({ err }, 'worker stop'));
    await jobs.stop();
    await bus.close();
  };
  try {
    for (const worker of selected) {
      running.push(await worker.start({ ...ctx, log: log.child({ worker: worker.name }) }));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  if (options.metrics) {
    const consumerGroups = selected.flatMap((w) => w.consumerGroups?.(options.region) ?? []);
    registerWorkerMetrics(options.metrics, { shards, bus, jobs, consumerGroups });
  }
  log.info({ workers: selected.map((w) => w.name), bus: bus.kind }, 'background started');
  return { bus, jobs, names: selected.map((w) => w.name), stop: stopAll };
}
