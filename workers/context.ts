import type { Logger } from 'pino';
import type { ShardSet } from '../db/shard-set.ts';
import type { EventBus } from '../regions/events/bus.ts';
import type { JobQueues, QueueSpec } from '../regions/jobs/queue.ts';
import type { FileStorage } from '../regions/storage/port.ts';
import type { SecretBox } from '../regions/support/secret-box.ts';

/** What a worker runs on: its region's shards, the event bus and the job queues. */
export type WorkerContext = {
  region: string;
  shards: ShardSet;
  bus: EventBus;
  jobs: JobQueues;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Names this process in leases and logs (host:pid). */
  instance: string;
  /** The region's file storage when it runs the workers itself; a worker alone opens its own from the environment. */
  storage?: FileStorage;
  /** The process's metrics registry (the relay counts business events into it). */
  metrics?: import('prom-client').Registry;
  /** The region's secret box when it runs the workers itself; a worker alone opens its own from the environment. */
  secrets?: SecretBox;
};

export type RunningWorker = { stop(): Promise<void> };

export type Worker = {
  name: string;
  /** The job queues this worker consumes; created on every shard before any write can enqueue into them. */
  queues?: readonly QueueSpec[];
  /** Whether it has anything to do with this environment (the search indexer only when Typesense is chosen). */
  enabled?: (env: NodeJS.ProcessEnv) => boolean;
  /** The bus consumer groups it subscribes, whose lag /metrics exports. */
  consumerGroups?: (region: string) => string[];
  start(ctx: WorkerContext): Promise<RunningWorker>;
};
