import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { ShardSet } from '../db/shard-set.ts';
import { backfillNow } from '../regions/analytics/rollup/backfill.ts';
import { rollupsReady } from '../regions/analytics/rollup/window.ts';
import { collectTiers, type SearchRow } from '../regions/search/postgres.ts';
import { searchableTypes } from '../regions/search/query.ts';
import {
  createLead,
  GOALS_MS,
  getLead,
  listLeads,
  MIXED_CALLS_PER_SECOND,
  mixedCycle,
  patchLead,
  report,
  reports,
  SEARCH_TERMS,
  SEARCH_TYPO_TERMS,
  search,
} from './support/api-scenarios.ts';
import { pgbenchSingleInsert, startHelloWorld, tenantRunner } from './support/baselines.ts';
import type { Benchmark } from './support/bench.ts';
import { createBenchDatabases, openRawDb } from './support/database.ts';
import { seedFleet } from './support/fleet-seed.ts';
import { goalNote, type LoadRequest, runConcurrent, runLoad } from './support/load.ts';
import { findPgbench, runPgbench } from './support/pgbench.ts';
import { startBenchStack } from './support/stack.ts';
import type { LatencySummary } from './support/stats.ts';
import type { BenchResult, Ratio } from './support/table.ts';

const BENCH = 'api';

/** The machine is shared: every figure is read next to how busy it was. */
const load = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;

export const apiBenchmark: Benchmark = {
  name: BENCH,
  summary:
    'the API through the edge under autocannon at fixed concurrency (leads list/get/create/update, search, reports, ' +
    'a mixed load) over BENCH_LEADS leads in several organizations on two shards; baselines: bare Hono, raw `pg`, pgbench',
  async run(ctx) {
    const sizes = {
      leads: ctx.size('BENCH_LEADS', 1_000_000, 10_000),
      organizations: ctx.size('BENCH_ORGS', 4, 3),
      reps: ctx.size('BENCH_REPS', 20, 3),
    };
    const connections = ctx.size('BENCH_CONNECTIONS', 8, 4);
    const seconds = ctx.size('BENCH_SECONDS', 5, 2);
    const mixedConnections = ctx.size('BENCH_MIXED_CONNECTIONS', 1000, 50);
    const mixedSeconds = ctx.size('BENCH_MIXED_SECONDS', 60, 5);
    const warmupSeconds = 1;
    const stamp = Date.now().toString(36);
    const dbs = await createBenchDatabases(ctx.backend, BENCH, 2);
    // The cache hit's edge keeps answers longer than the run, so every repeated read is a hit.
    // The workers run inside the region process, as `npm start` runs them; BENCH_WORKERS=apart gives them a process
    // of their own, as deploy/ does (PostgreSQL only: PGlite's embedded shards belong to this process). On two cores
    // that process takes its CPU from PostgreSQL, and every write case was slower so (docs/performance.md).
    const workersApart = ctx.backend.kind === 'postgres' && process.env.BENCH_WORKERS === 'apart';
    const stack = await startBenchStack({ ...dbs, cachedEdgeSeconds: 3600, workersApart }).catch(async (error) => {
      await dbs.drop();
      throw error;
    });
    const hello = await startHelloWorld();
    const workDir = mkdtempSync(join(tmpdir(), 'crm-bench-api-'));
    try {
      ctx.log(`before seeding: ${load()}`);
      const seedStarted = performance.now();
      const [main] = await seedFleet(ctx.backend, stack, dbs, sizes, ctx.log);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      if (!main) throw new Error('no organization was seeded');
      const backfillStarted = performance.now();
      await backfillNow(stack.region.ctx.shards, main.id);
      ctx.log(
        `sign-ups and seed ${seedSeconds.toFixed(1)} s; analytics roll-ups of the largest organization ` +
          `backfilled in ${((performance.now() - backfillStarted) / 1000).toFixed(1)} s`,
      );
      const shardUrl = dbs.shardUrls[main.shardIndex]!;
      const raw = await openRawDb(ctx.backend, stack.region.ctx.shards.forOrganization(main.id), shardUrl);
      const runner = await tenantRunner(ctx.backend, raw, shardUrl, connections);
      try {
        const ids = (
          await raw.inTenant(main.id, (query) =>
            query<{ id: string }>('SELECT id FROM leads WHERE organization_id = $1 ORDER BY random() LIMIT 2000', [
              main.id,
            ]),
          )
        ).map((row) => row.id);
        const through = async (
          url: string,
          requests: LoadRequest[],
          connectionCount = connections,
          terms = SEARCH_TERMS,
        ) => {
          const result = await runLoad({
            url,
            connections: connectionCount,
            seconds,
            warmupSeconds,
            requests,
            tokens: [main.adminToken],
            ids,
            terms,
          });
          if (result.failures > 0) ctx.log(`!! ${requests[0]!.method} ${requests[0]!.path}: ${result.failureKinds}`);
          return result;
        };
        const record = (name: string, latency: LatencySummary, ratio?: Ratio, note?: string) => {
          const result: BenchResult = {
            benchmark: BENCH,
            name,
            unit: 'req',
            count: latency.n,
            perSecond: latency.perSecond,
            latency,
            ...(ratio ? { ratio } : {}),
            ...(note ? { note } : {}),
          };
          ctx.record(result);
          return result;
        };
        const rawName = ctx.backend.kind === 'pglite' ? 'raw PGlite' : 'raw pg';
        ctx.log(
          `${connections} connections, ${seconds} s each after ${warmupSeconds} s of warm-up; ` +
            `largest organization: ${main.leads.toLocaleString('en-US')} leads on shard ${main.shardIndex}; ` +
            `workers ${workersApart ? 'in their own process' : 'in the region process'}; ${load()}`,
        );

        // Baselines, measured first and in the same run.
        const bareHono = (path: string) =>
          runLoad({
            url: hello.url,
            connections,
            seconds,
            warmupSeconds,
            requests: [{ method: 'GET', path }],
            tokens: ['-'],
            ids: [],
          });
        const bare = await bareHono('/');
        record('bare Hono hello-world', bare.latency, undefined, 'baseline: @hono/node-server, no work');
        // A hit sends a page of leads, not eleven bytes: the same bytes from bare Hono are the other floor.
        const page = await fetch(`${stack.cachedEdgeUrl}${listLeads.path}`, {
          headers: { authorization: `Bearer ${main.adminToken}` },
        });
        hello.setPage(await page.text());
        const barePage = await bareHono('/page');
        record(
          'bare Hono, the same page',
          barePage.latency,
          undefined,
          `baseline: the ${(Number(page.headers.get('content-length')) / 1024).toFixed(0)} KiB a cache hit sends, no work`,
        );
        const rawList = await runConcurrent(connections, seconds, warmupSeconds, () =>
          runner.inTenant(main.id, (query) =>
            query('SELECT * FROM leads WHERE organization_id = $1 ORDER BY id DESC LIMIT 51', [main.id]),
          ),
        );
        record(`${rawName} list (same SQL)`, rawList, undefined, 'baseline: BEGIN, set tenant, newest 51, COMMIT');
        const rawGet = await runConcurrent(connections, seconds, warmupSeconds, (n) =>
          runner.inTenant(main.id, (query) =>
            query('SELECT * FROM leads WHERE organization_id = $1 AND id = $2', [main.id, ids[n % ids.length]]),
          ),
        );
        record(`${rawName} get one`, rawGet, undefined, 'baseline: by primary key');
        const dialect = new PgDialect();
        const rawSearchOf = (terms: string[]) =>
          runConcurrent(connections, seconds, warmupSeconds, (n) => {
            const request = {
              organizationId: main.id,
              text: decodeURIComponent(terms[n % terms.length]!),
              types: [...searchableTypes],
              ownerOnly: null,
              limit: 20,
            };
            return runner.inTenant(main.id, async (query) => {
              await query("SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true)");
              return collectTiers(request, async (statement) => {
                const { sql, params } = dialect.sqlToQuery(statement);
                return query<SearchRow>(sql, params);
              });
            });
          });
        const rawSearch = await rawSearchOf(SEARCH_TERMS);
        record(`${rawName} search (same SQL)`, rawSearch, undefined, "baseline: the search backend's statement");
        const rawTypoSearch = await rawSearchOf(SEARCH_TYPO_TERMS);
        record(
          `${rawName} search, a typo (same SQL)`,
          rawTypoSearch,
          undefined,
          'baseline: every tier, to the corrected words',
        );
        const pgbench = ctx.backend.kind === 'postgres' ? await findPgbench() : null;
        let pgbenchTps: number | null = null;
        if (pgbench) {
          const bench = await runPgbench({
            binary: pgbench,
            url: shardUrl,
            script: pgbenchSingleInsert,
            seconds,
            clients: connections,
            variables: { org: main.id, creator: main.adminUserId },
            workDir,
          });
          pgbenchTps = bench.tps;
          record(`pgbench 1-row INSERT ×${connections}`, { ...bench.latency, perSecond: bench.tps });
        } else ctx.log('no pgbench (PGlite, or no binary on PATH): the writes have no pgbench baseline');

        const vs = (of: string, base: LatencySummary, latency: LatencySummary): Ratio => ({
          of,
          by: 'throughput',
          value: latency.perSecond / base.perSecond,
        });
        const cachedUrl = stack.cachedEdgeUrl!;
        const hit = await through(cachedUrl, [listLeads]);
        record(
          'GET /leads cache hit',
          hit.latency,
          vs('bare Hono', bare.latency, hit.latency),
          (() => {
            const ratio = hit.latency.perSecond / bare.latency.perSecond;
            const samePage = hit.latency.perSecond / barePage.latency.perSecond;
            return (
              `${goalNote(hit.latency.p95, GOALS_MS.list)}; goal ≥ 0.6x bare Hono: ${ratio >= 0.6 ? 'met' : 'MISSED'}; ` +
              `${samePage.toFixed(2)}x bare Hono sending the same page`
            );
          })(),
        );
        const miss = await through(stack.edgeUrl, [listLeads]);
        record(
          'GET /leads cache miss',
          miss.latency,
          vs(`${rawName} list`, rawList, miss.latency),
          `${goalNote(miss.latency.p95, GOALS_MS.list)} (edge cache off: every request reaches the region)`,
        );
        const one = await through(stack.edgeUrl, [getLead]);
        record(
          'GET /leads/{id}',
          one.latency,
          vs(`${rawName} get`, rawGet, one.latency),
          goalNote(one.latency.p95, GOALS_MS.list),
        );
        const writes = (latency: LatencySummary, goal: number): [Ratio | undefined, string] => [
          pgbenchTps ? { of: 'pgbench INSERT', by: 'throughput', value: latency.perSecond / pgbenchTps } : undefined,
          `${goalNote(latency.p95, goal)}${pgbenchTps ? `; goal ≥ 0.5x pgbench: ${latency.perSecond / pgbenchTps >= 0.5 ? 'met' : 'MISSED'}` : ''}`,
        ];
        const created = await through(stack.edgeUrl, [createLead(stamp)]);
        record('POST /leads', created.latency, ...writes(created.latency, GOALS_MS.create));
        const patched = await through(stack.edgeUrl, [patchLead]);
        record('PATCH /leads/{id}', patched.latency, ...writes(patched.latency, GOALS_MS.create));
        const searched = await through(stack.edgeUrl, [search]);
        record(
          'GET /search',
          searched.latency,
          vs(`${rawName} search`, rawSearch, searched.latency),
          goalNote(searched.latency.p95, GOALS_MS.search),
        );
        const typoSearched = await through(stack.edgeUrl, [search], connections, SEARCH_TYPO_TERMS);
        record(
          'GET /search, a typo',
          typoSearched.latency,
          vs(`${rawName} search, a typo`, rawTypoSearch, typoSearched.latency),
          goalNote(typoSearched.latency.p95, GOALS_MS.search),
        );
        // The reports read the roll-ups only once the analyzer (running in the region, as `npm start` runs it) has
        // applied every event of the writes above; until then they are answered from the base tables.
        const caughtUp = await waitForRollups(stack.region.ctx.shards, main.id, 180_000);
        ctx.log(
          `analyzer caught up with the writes in ${(caughtUp.waitedMs / 1000).toFixed(1)} s${caughtUp.ready ? '' : ' (NOT ready: reports read base tables)'}`,
        );
        for (const name of reports) {
          const answered = await through(stack.edgeUrl, [report(name)]);
          record(
            `GET /analytics/${name}`,
            answered.latency,
            vs(`${rawName} list`, rawList, answered.latency),
            `${goalNote(answered.latency.p95, GOALS_MS.analytics)} (30 days)`,
          );
        }

        ctx.log(`before the mixed load: ${load()}`);
        // The spec's load test pressed into BENCH_MIXED_SECONDS, through the edge as deployed (cache on).
        const mixed = await runLoad({
          url: cachedUrl,
          connections: mixedConnections,
          seconds: mixedSeconds,
          warmupSeconds,
          requests: mixedCycle(`${stamp}m`),
          tokens: [main.adminToken],
          ids,
          terms: SEARCH_TERMS,
          overallRate: Math.ceil(MIXED_CALLS_PER_SECOND),
        });
        const target = Math.round(MIXED_CALLS_PER_SECOND);
        record(
          `mixed (${mixedConnections} users)`,
          mixed.latency,
          { of: `target ${target} req/s`, by: 'throughput', value: mixed.latency.perSecond / target },
          `spec load test ×60: 100k calls and 10k new leads a minute; non-2xx/errors: ${mixed.failures}${mixed.failures ? ` (${mixed.failureKinds})` : ''}`,
        );
        ctx.log(`after the mixed load: ${load()}`);
      } finally {
        await runner.close();
        await raw.close();
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
      await hello.stop();
      await stack.stop();
      await dbs.drop();
    }
  },
};

/** Polls until the organization's roll-ups may be read (every analytics event applied), or the time is up. */
async function waitForRollups(shards: ShardSet, organizationId: string, timeoutMs: number) {
  const started = performance.now();
  for (;;) {
    const ready = await shards.withTenant(organizationId, (tx) => rollupsReady(tx, organizationId));
    const waitedMs = performance.now() - started;
    if (ready || waitedMs > timeoutMs) return { ready, waitedMs };
    await new Promise((done) => setTimeout(done, 500));
  }
}
