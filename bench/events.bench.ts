import { openConnection } from '../db/drivers/open.ts';
import { shardMigrations } from '../db/shard-set.ts';
import type { EventBus } from '../regions/events/bus.ts';
import { openNatsBus } from '../regions/events/nats-bus.ts';
import { openPostgresLogBus } from '../regions/events/postgres-log-bus.ts';
import { DEFAULT_RELAY_BATCH } from '../regions/events/relay.ts';
import { relayShard } from '../regions/events/relay-pipeline.ts';
import type { BenchContext, Benchmark } from './support/bench.ts';
import { createBenchDatabases, openRawDb, type RawDb } from './support/database.ts';
import { answers, natsUrl, seedOutbox, unpublishAll, unpublished } from './support/outbox.ts';
import { summarize } from './support/stats.ts';

const ORGANIZATIONS = 50;

/**
 * The outbox relay: how many events a second it moves from a shard's outbox to the bus, against writing the same
 * rows into the outbox (the baseline: what it costs the database to take them at all).
 */
export const eventsBenchmark: Benchmark = {
  name: 'events',
  summary: 'outbox relay events/s to the Postgres log (and NATS when it answers) vs raw INSERT into the outbox',
  async run(ctx: BenchContext) {
    const events = ctx.size('BENCH_EVENTS', 200_000, 20_000);
    const batchSize = ctx.size('BENCH_RELAY_BATCH', DEFAULT_RELAY_BATCH, DEFAULT_RELAY_BATCH);
    const dbs = await createBenchDatabases(ctx.backend, 'events', 1);
    const shardUrl = dbs.shardUrls[0]!;
    const shard = await openConnection('bench-0', shardUrl, 4);
    let raw: RawDb | undefined;
    try {
      await shard.migrate(shardMigrations);
      raw = await openRawDb(ctx.backend, shard, shardUrl);
      ctx.log(
        `${events.toLocaleString('en-US')} events of ${ORGANIZATIONS} organizations, relay batches of ${batchSize}`,
      );

      const baseline = await seedOutbox(raw, events, ORGANIZATIONS, batchSize);
      ctx.record({
        benchmark: 'events',
        name: 'raw INSERT into outbox (baseline)',
        unit: 'events',
        count: events,
        perSecond: baseline.perSecond,
        latency: baseline,
        note: `multi-row INSERT of ${batchSize} per transaction, one pg client`,
      });

      const postgresLog = await openPostgresLogBus(shard.db, { schema: 'bench_bus' });
      await relayAll(ctx, 'relay → Postgres log', raw, shard, postgresLog, events, batchSize, baseline.perSecond);
      await postgresLog.close();

      if (await answers(natsUrl())) {
        const stream = `BENCH_EVENTS_${Date.now()}`;
        const nats = await openNatsBus({ servers: natsUrl(), stream, subjectRoot: `bench-${Date.now()}` });
        await unpublishAll(raw);
        await relayAll(ctx, 'relay → NATS JetStream', raw, shard, nats, events, batchSize, baseline.perSecond);
        await nats.close();
        await deleteStream(stream);
      } else {
        ctx.log(`NATS did not answer at ${natsUrl()}: the NATS case was not run`);
      }
    } finally {
      await raw?.close();
      await shard.close();
      await dbs.drop();
    }
  },
};

/**
 * Runs the relay's own loop over one shard (`relayShard`: each batch published while the one before is marked and
 * the next read) until the outbox is empty, timing each batch from the end of the one before.
 */
async function relayAll(
  ctx: BenchContext,
  name: string,
  raw: RawDb,
  shard: Awaited<ReturnType<typeof openConnection>>,
  bus: EventBus,
  events: number,
  batchSize: number,
  baselinePerSecond: number,
) {
  const samples: number[] = [];
  const started = performance.now();
  let last = started;
  const moved = await relayShard('bench', shard, bus, batchSize, {
    relayed: () => {
      const now = performance.now();
      samples.push(now - last);
      last = now;
    },
  });
  const wall = performance.now() - started;
  const left = await unpublished(raw);
  if (moved !== events || left !== 0) throw new Error(`${name}: moved ${moved} of ${events} events`);
  const perSecond = (moved * 1000) / wall;
  ctx.record({
    benchmark: 'events',
    name,
    unit: 'events',
    count: moved,
    perSecond,
    latency: summarize(samples, wall),
    ratio: { of: 'raw INSERT into outbox', by: 'throughput', value: perSecond / baselinePerSecond },
    note: `one relay loop, batches of ${batchSize} (p = per batch); goal ≥ 10,000 events/s`,
  });
}

/** The bench's stream is its own; leaving it would keep its events on the NATS server's disk. */
async function deleteStream(stream: string) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: natsUrl() });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of [stream, `${stream}_DEADLETTER`]) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
