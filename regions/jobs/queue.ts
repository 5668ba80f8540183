import { sql } from 'drizzle-orm';
import {
  fromDrizzle,
  fromPglite,
  type Job,
  type JobInsert,
  type JobResult,
  PgBoss,
  type Queue,
  type SendOptions,
} from 'pg-boss';
import type { Connection, NativeClient, Tx } from '../../db/database.ts';
import type { ShardSet } from '../../db/shard-set.ts';

/** Every job carries its organization, so a worker can scope its transaction and admins can list their failures. */
export type JobData = { organizationId: string } & Record<string, unknown>;

export type QueueSpec = { name: string } & Omit<Queue, 'name' | 'deadLetter'>;

export type JobHandler<T extends JobData> = (job: Job<T>) => Promise<unknown>;

export type DeadJob = { queue: string; id: string; data: JobData; output: unknown; failedAt: Date | null };

/** Each queue fails into `<name>.dead`, the dead-letter list admins read. */
export const deadLetterOf = (name: string) => `${name}.dead`;

const jobSchema = 'pgboss';

function databaseOf(native: NativeClient) {
  if (native.kind === 'pglite') return { db: fromPglite(native.client), backend: 'pglite' as const };
  return { db: { executeSql: (text: string, values?: unknown[]) => native.query(text, values) } };
}

/**
 * pg-boss on every shard of a region: a job is enqueued in the same transaction as the write that causes it
 * (`send(tx, ...)`), so it exists exactly when the write does; workers poll every shard.
 */
export class JobQueues {
  private constructor(
    private readonly shards: ShardSet,
    private readonly bosses: Map<string, PgBoss>,
    readonly specs: readonly QueueSpec[],
  ) {}

  static async open(
    shards: ShardSet,
    specs: readonly QueueSpec[],
    options: { onError?: (error: Error) => void; supervise?: boolean } = {},
  ): Promise<JobQueues> {
    const bosses = new Map<string, PgBoss>();
    try {
      for (const shard of shards.all()) {
        const boss = await installed(() => {
          const boss = new PgBoss({
            ...databaseOf(shard.native),
            schema: jobSchema,
            application_name: `crm-jobs-${shard.id}`,
            supervise: options.supervise ?? true,
            schedule: true,
          });
          boss.on('error', (error: Error) => options.onError?.(error));
          return boss;
        });
        bosses.set(shard.id, boss);
        for (const spec of specs) await whileRacing(() => ensureQueue(boss, spec));
      }
    } catch (error) {
      await Promise.allSettled([...bosses.values()].map((b) => b.stop({ graceful: false, close: false })));
      throw error;
    }
    return new JobQueues(shards, bosses, specs);
  }

  private bossOf(shard: Connection): PgBoss {
    const boss = this.bosses.get(shard.id);
    if (!boss) throw new Error(`no job queue on shard ${shard.id}`);
    return boss;
  }

  /** Enqueues inside the caller's tenant transaction: the job commits or rolls back with the write. */
  async send<T extends JobData>(tx: Tx, name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    const boss = this.bossOf(this.shards.forOrganization(data.organizationId));
    // drizzle types execute() per driver; pg-boss only needs it to run SQL and hand back rows.
    const db = fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql);
    return boss.send(name, data, { ...options, db });
  }

  /**
   * Enqueues many jobs of one organization in one statement, inside the caller's tenant transaction (a campaign's
   * emails): the same guarantee as `send`, without a round trip per job.
   */
  async sendMany<T extends JobData>(
    tx: Tx,
    name: string,
    jobs: readonly { data: T; options?: Omit<JobInsert, 'data' | 'id'> }[],
  ): Promise<void> {
    const organizationId = jobs[0]?.data.organizationId;
    if (!organizationId) return;
    if (jobs.some((job) => job.data.organizationId !== organizationId)) {
      throw new Error('sendMany enqueues the jobs of one organization at a time');
    }
    const boss = this.bossOf(this.shards.forOrganization(organizationId));
    const db = fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql);
    await boss.insert(
      name,
      jobs.map((job) => ({ ...job.options, data: job.data })),
      { db },
    );
  }

  /** Enqueues outside any write (schedulers, tests). */
  async sendNow<T extends JobData>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    return this.bossOf(this.shards.forOrganization(data.organizationId)).send(name, data, options);
  }

  /**
   * Runs `handler` for the queue's jobs on every shard; a throw is a failed attempt, retried by the queue's policy.
   * Each of the `concurrency` fetchers claims up to `batchSize` jobs at a time and runs them one after another,
   * settling each on its own. pg-boss waits its polling interval after every fetch of a single job, so a fetcher of
   * one job at a time handles at most one a second; a full batch is fetched again at once (`burstWhenBatchFull`).
   * Long jobs (an import's run) want `batchSize: 1` so one never waits behind another.
   */
  async work<T extends JobData>(
    name: string,
    options: { concurrency?: number; pollingIntervalSeconds?: number; batchSize?: number },
    handler: JobHandler<T>,
  ): Promise<void> {
    const batchSize = options.batchSize ?? 20;
    for (const boss of this.bosses.values()) {
      await boss.work<T>(
        name,
        {
          localConcurrency: options.concurrency ?? 1,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
          batchSize,
          burstWhenBatchFull: batchSize > 1,
          perJobResults: true as const,
        },
        async (jobs) => {
          const results: JobResult[] = [];
          for (const job of jobs) {
            try {
              results.push({ id: job.id, status: 'completed', output: await handler(job) });
            } catch (error) {
              results.push({ id: job.id, status: 'failed', output: failureOf(error) });
            }
          }
          return results;
        },
      );
    }
  }

  /** A cron schedule on the first shard only: pg-boss runs each schedule once however many processes hold it. */
  async schedule(name: string, cron: string, data: JobData | null = null): Promise<void> {
    const first = this.shards.all()[0];
    if (first) await this.bossOf(first).schedule(name, cron, data ?? {});
  }

  /** An organization's jobs that used up their retries, newest first; `queue` narrows to one queue's. */
  async deadJobs(organizationId: string, limit = 100, queue?: string): Promise<DeadJob[]> {
    const boss = this.bossOf(this.shards.forOrganization(organizationId));
    const found: DeadJob[] = [];
    for (const spec of this.specs) {
      if (queue !== undefined && spec.name !== queue) continue;
      const jobs = await boss.findJobs<JobData>(deadLetterOf(spec.name), { data: { organizationId } });
      for (const job of jobs) found.push(deadJobOf(spec.name, job));
    }
    return found.sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0)).slice(0, limit);
  }

  /** Whether `name` is one of the queues this process opened (the only ones with a dead-letter list to manage). */
  hasQueue(name: string): boolean {
    return this.specs.some((spec) => spec.name === name);
  }

  /**
   * Puts one of an organization's dead jobs back on its queue as a new job, inside the caller's tenant transaction;
   * null when the organization has no such dead job (another organization's reads as missing).
   */
  async retryDead(
    tx: Tx,
    organizationId: string,
    queue: string,
    id: string,
  ): Promise<{ job: DeadJob; newId: string } | null> {
    const job = await this.takeDead(tx, organizationId, queue, id);
    if (!job) return null;
    const boss = this.bossOf(this.shards.forOrganization(organizationId));
    const newId = await boss.send(queue, job.data, { db: dbOf(tx) });
    if (!newId) throw new Error(`pg-boss refused to queue the retry of ${queue} job ${id}`);
    return { job, newId };
  }

  /** Deletes one of an organization's dead jobs inside the caller's tenant transaction; null when there is none. */
  discardDead(tx: Tx, organizationId: string, queue: string, id: string): Promise<DeadJob | null> {
    return this.takeDead(tx, organizationId, queue, id);
  }

  /**
   * Reads and deletes a dead job of the organization. The delete must hit the row: of two admins acting on the same
   * job at once, the second waits on the first's row lock and then finds nothing, so a job is never retried twice.
   */
  private async takeDead(tx: Tx, organizationId: string, queue: string, id: string): Promise<DeadJob | null> {
    const boss = this.bossOf(this.shards.forOrganization(organizationId));
    const db = dbOf(tx);
    const [job] = await boss.findJobs<JobData>(deadLetterOf(queue), { id, data: { organizationId }, db });
    if (!job) return null;
    const deleted = await boss.deleteJob(deadLetterOf(queue), id, { db });
    // pg-boss answers `{ affected }` at run time, though its types declare CommandResponse empty.
    return (deleted as { affected?: number }).affected === 1 ? deadJobOf(queue, job) : null;
  }

  /** Waiting + active jobs per queue on every shard, for the queue-depth gauge. */
  async depths(): Promise<{ shard: string; queue: string; waiting: number; active: number }[]> {
    const out: { shard: string; queue: string; waiting: number; active: number }[] = [];
    for (const [shard, boss] of this.bosses) {
      for (const queue of await boss.getQueues(this.specs.map((s) => s.name))) {
        out.push({ shard, queue: queue.name, waiting: queue.queuedCount, active: queue.activeCount });
      }
    }
    return out;
  }

  /** Stops fetching, lets jobs in hand finish (up to `timeoutMs`), then returns the rest to the queue. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await Promise.allSettled(
      [...this.bosses.values()].map((boss) => boss.stop({ graceful: true, timeout: timeoutMs, close: false })),
    );
  }
}

/** pg-boss runs its statements on the caller's drizzle transaction, so they commit or roll back with it. */
// drizzle types execute() per driver; pg-boss only needs it to run SQL and hand back rows.
const dbOf = (tx: Tx) => fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql);

function deadJobOf(queue: string, job: { id: string; data: JobData; output?: unknown; createdOn?: Date }): DeadJob {
  // A dead-letter copy is created when the original fails for good, so its creation is the failure's time.
  return { queue, id: job.id, data: job.data, output: job.output ?? null, failedAt: job.createdOn ?? null };
}

/** What pg-boss stores on a failed attempt, as it stores a thrown error itself: its message and stack. */
function failureOf(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message, stack: error.stack };
  return { message: String(error) };
}

/** Another process creating the same schema or queue at the same moment: it exists now, so the next try passes. */
const lostCreateRace = (error: unknown) =>
  ['23505', '42P06', '42P07', '42710'].includes((error as { code?: string }).code ?? '');

async function whileRacing<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= tries || !lostCreateRace(error)) throw error;
      await new Promise((r) => setTimeout(r, 100 * n + Math.random() * 200));
    }
  }
}

/** Starts pg-boss, installing its schema; a start that lost the install race is retried on a fresh instance. */
function installed(make: () => PgBoss): Promise<PgBoss> {
  return whileRacing(async () => {
    const boss = make();
    try {
      await boss.start();
      return boss;
    } catch (error) {
      await boss.stop({ graceful: false, close: false }).catch(() => {});
      throw error;
    }
  });
}

async function ensureQueue(boss: PgBoss, spec: QueueSpec): Promise<void> {
  const { name, ...options } = spec;
  const dead = deadLetterOf(name);
  if (!(await boss.getQueue(dead))) await boss.createQueue(dead, { retentionSeconds: 30 * 86_400 });
  if (!(await boss.getQueue(name))) await boss.createQueue(name, { ...options, deadLetter: dead });
}
