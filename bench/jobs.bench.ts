import { newId } from '../db/ids.ts';
import { ShardSet } from '../db/shard-set.ts';
import { JobQueues } from '../regions/jobs/queue.ts';
import type { BenchContext, Benchmark } from './support/bench.ts';
import { createBenchDatabases, openRawDb } from './support/database.ts';
import { summarize } from './support/stats.ts';

const WORKED = 'bench.noop';
const BASELINE = 'bench.baseline';
const ORGANIZATIONS = 20;

/**
 * The job queue (pg-boss on the shard): jobs enqueued in tenant transactions as the app enqueues them, then worked
 * to completion by the same `JobQueues.work` the workers use, against raw multi-row INSERTs into pg-boss's job
 * table (the baseline: what the database takes to store the jobs at all).
 */
export const jobsBenchmark: Benchmark = {
  name: 'jobs',
  summary: 'pg-boss jobs/s enqueued (in tenant transactions) and worked to completion vs raw INSERT into its job table',
  async run(ctx: BenchContext) {
    const jobs = ctx.size('BENCH_JOBS', 50_000, 5_000);
    const perTransaction = 500;
    const concurrency = ctx.size('BENCH_JOB_CONCURRENCY', 8, 4);
    const batchSize = ctx.size('BENCH_JOB_BATCH', 20, 20);
    const dbs = await createBenchDatabases(ctx.backend, 'jobs', 1);
    const shards = await ShardSet.open('bench', [{ id: 'bench-0', url: dbs.shardUrls[0]! }], concurrency + 4);
    const queues = await JobQueues.open(shards, [{ name: WORKED }, { name: BASELINE }], { supervise: false });
    const shard = shards.all()[0]!;
    const raw = await openRawDb(ctx.backend, shard, dbs.shardUrls[0]!);
    const orgs = Array.from({ length: ORGANIZATIONS }, () => newId());
    try {
      ctx.log(
        `${jobs.toLocaleString('en-US')} jobs of ${ORGANIZATIONS} organizations, worked by ${concurrency} fetchers of ${batchSize} jobs`,
      );

      // Baseline: the same rows, as one plain connection would insert them.
      const baselineSamples: number[] = [];
      let started = performance.now();
      for (let done = 0; done < jobs; done += perTransaction) {
        const n = Math.min(perTransaction, jobs - done);
        const data = Array.from({ length: n }, (_, i) =>
          JSON.stringify({ organizationId: orgs[(done + i) % orgs.length] }),
        );
        const t0 = performance.now();
        await raw.query(
          'INSERT INTO pgboss.job (id, name, data) SELECT gen_random_uuid(), $1, d::jsonb FROM unnest($2::text[]) AS d',
          [BASELINE, data],
        );
        baselineSamples.push(performance.now() - t0);
      }
      const baselineWall = performance.now() - started;
      const baselineRate = (jobs * 1000) / baselineWall;
      ctx.record({
        benchmark: 'jobs',
        name: 'raw INSERT into pgboss.job (baseline)',
        unit: 'jobs',
        count: jobs,
        perSecond: baselineRate,
        latency: summarize(baselineSamples, baselineWall),
        note: `${perTransaction} rows a statement, one pg client`,
      });

      // Enqueue as the app does: sendMany inside the organization's RLS transaction.
      const enqueueSamples: number[] = [];
      started = performance.now();
      for (let done = 0; done < jobs; done += perTransaction) {
        const n = Math.min(perTransaction, jobs - done);
        const organizationId = orgs[(done / perTransaction) % orgs.length]!;
        const t0 = performance.now();
        await shards.withTenant(organizationId, (tx) =>
          queues.sendMany(
            tx,
            WORKED,
            Array.from({ length: n }, (_, i) => ({ data: { organizationId, n: done + i } })),
          ),
        );
        enqueueSamples.push(performance.now() - t0);
      }
      const enqueueWall = performance.now() - started;
      const enqueueRate = (jobs * 1000) / enqueueWall;
      ctx.record({
        benchmark: 'jobs',
        name: 'enqueue (sendMany in tenant tx)',
        unit: 'jobs',
        count: jobs,
        perSecond: enqueueRate,
        latency: summarize(enqueueSamples, enqueueWall),
        ratio: { of: 'raw INSERT into pgboss.job', by: 'throughput', value: enqueueRate / baselineRate },
        note: `${perTransaction} jobs a transaction (p = per transaction)`,
      });

      // Work them all: fetch, run an empty handler, complete, as every worker's loop does.
      let completed = 0;
      const handlerGaps: number[] = [];
      let last = performance.now();
      const allDone = new Promise<void>((resolve) => {
        started = performance.now();
        void queues.work(WORKED, { concurrency, batchSize, pollingIntervalSeconds: 0.5 }, async () => {
          const now = performance.now();
          handlerGaps.push(now - last);
          last = now;
          completed++;
          if (completed === jobs) resolve();
        });
      });
      await allDone;
      const workWall = performance.now() - started;
      // The last completions are written after the handler returns: wait until pg-boss has recorded them all.
      await waitForCompleted(raw.query, jobs);
      const workRate = (jobs * 1000) / workWall;
      ctx.record({
        benchmark: 'jobs',
        name: `work to completion (${concurrency}×${batchSize})`,
        unit: 'jobs',
        count: jobs,
        perSecond: workRate,
        latency: summarize(handlerGaps, workWall),
        ratio: { of: 'raw INSERT into pgboss.job', by: 'throughput', value: workRate / baselineRate },
        note: 'empty handler; p = gap between consecutive jobs; floor ≥ 1,000 jobs/s',
      });
    } finally {
      await queues.stop(1000);
      await raw.close();
      await shards.close();
      await dbs.drop();
    }
  },
};

async function waitForCompleted(query: (text: string, values?: unknown[]) => Promise<{ n: number }[]>, jobs: number) {
  for (let i = 0; i < 600; i++) {
    const [row] = await query("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'", [
      WORKED,
    ]);
    if ((row?.n ?? 0) >= jobs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('jobs: pg-boss did not record every completion within a minute');
}
