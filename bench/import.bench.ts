import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../db/ids.ts';
import { scoreLead } from '../regions/leads/score.ts';
import { apiClient } from '../test/support/api.ts';
import type { Benchmark } from './support/bench.ts';
import { createBenchDatabases, openRawDb, type RawDb } from './support/database.ts';
import { describeMemory, importFile } from './support/import-steps.ts';
import { leadFields, writeLeadsCsv } from './support/leads.ts';
import { mib } from './support/memory.ts';
import { findPgbench, runPgbench } from './support/pgbench.ts';
import { startBenchStack } from './support/stack.ts';
import { type LatencySummary, nowMs, summarize } from './support/stats.ts';
import type { BenchResult } from './support/table.ts';

/** The import writes in batches of this many rows (regions/imports/run.ts); the baselines use the same size. */
const BATCH = 500;
const BENCH = 'import';

/** Time from one batch's transaction to the next one's, read from the import's audit rows (now() of each). */
async function batchCycles(raw: RawDb, organizationId: string, importId: string): Promise<LatencySummary> {
  const stamps = await raw.inTenant(organizationId, (query) =>
    query<{ ms: number }>(
      `SELECT (extract(epoch FROM created_at) * 1000)::float8 AS ms FROM audit_log
        WHERE organization_id = $1 AND target_id = $2 AND action = 'import.batch' ORDER BY created_at`,
      [organizationId, importId],
    ),
  );
  const cycles = stamps.slice(1).map((s, i) => s.ms - stamps[i]!.ms);
  return summarize(cycles);
}

const leadColumns =
  'organization_id, id, first_name, last_name, email, phone, company, title, source, status, score, score_reasons, created_by';

/** The same rows, as the import would write them (ids, scores), in multi-row INSERTs of BATCH rows per transaction. */
async function rawInsertBaseline(raw: RawDb, organizationId: string, createdBy: string, rows: number) {
  const samples: number[] = [];
  const started = nowMs();
  for (let from = 1; from <= rows; from += BATCH) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let i = from; i < Math.min(from + BATCH, rows + 1); i++) {
      const f = leadFields(i);
      const { score, reasons } = scoreLead(f);
      const row: unknown[] = [organizationId, newId(), f.firstName, f.lastName, f.email, f.phone, f.company, f.title];
      row.push(f.source, f.status, score, JSON.stringify(reasons), createdBy);
      tuples.push(`(${row.map((_, k) => `$${values.length + k + 1}`).join(', ')})`);
      values.push(...row);
    }
    const t0 = nowMs();
    await raw.inTenant(organizationId, (query) =>
      query(`INSERT INTO leads (${leadColumns}) VALUES ${tuples.join(', ')}`, values),
    );
    samples.push(nowMs() - t0);
  }
  const wall = nowMs() - started;
  return { perSecond: (rows * 1000) / wall, latency: summarize(samples, wall) };
}

/** pgbench's rows are made by the server (generate_series), with time-ordered ids as the app's UUIDv7 are. */
const pgbenchScript = `\\set base random(1, 1000000000)
BEGIN;
SELECT set_config('app.organization_id', :org, true);
INSERT INTO leads (${leadColumns})
SELECT CAST(:org AS uuid),
  (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(g || ':' || random()), 1, 20))::uuid,
  'Ada', 'Lovelace-' || g, 'ada.lovelace.' || :base || '.' || g || '@company' || (g % 5000) || '.example',
  '+1 555 ' || lpad(g::text, 7, '0'), 'Company ' || (g % 5000), 'Engineer', 'web_form', 'new', 40,
  '[{"points":10,"reason":"Has an email"},{"points":10,"reason":"Came through a web form"}]'::jsonb,
  CAST(:creator AS uuid)
FROM generate_series(1, ${BATCH}) g;
COMMIT;
`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const importBenchmark: Benchmark = {
  name: BENCH,
  summary:
    'CSV import of BENCH_ROWS leads (create, start and background run through the edge) in rows/s, with memory ' +
    '(the upload itself: `upload`); baselines: the same rows as raw `pg` multi-row INSERTs and a pgbench custom ' +
    'script into the same table',
  async run(ctx) {
    const rows = ctx.size('BENCH_ROWS', 1_000_000, 20_000);
    const workDir = mkdtempSync(join(tmpdir(), 'crm-bench-import-'));
    const csvPath = join(workDir, 'leads.csv');
    const t0 = nowMs();
    const bytes = await writeLeadsCsv(csvPath, rows);
    ctx.log(`${rows.toLocaleString('en-US')} leads written to a ${mib(bytes)} CSV in ${seconds(nowMs() - t0)}`);
    const dbs = await createBenchDatabases(ctx.backend, BENCH, 2);
    // IMPORT_MAX_BYTES raised to the file's size, as an operator importing such files would set it.
    const stack = await startBenchStack({ ...dbs, uploadBytes: bytes + 1024 * 1024 }).catch(async (error) => {
      await dbs.drop();
      throw error;
    });
    const results: BenchResult[] = [];
    try {
      const api = apiClient(stack.edgeUrl);

      ctx.log(
        "import: createImport (the route's service) with a file-backed File; start and progress through the edge",
      );
      const admin = await api.signup('bench-import');
      const run = await importFile(ctx, stack.region.ctx, api, admin, csvPath, rows);
      describeMemory(ctx, run.memory, rows, bytes);
      const organizationId = admin.organization.id;
      const shard = stack.region.ctx.shards.forOrganization(organizationId);
      const shardUrl = dbs.shardUrls[Number(shard.id.split('-').pop())]!;
      const raw = await openRawDb(ctx.backend, shard, shardUrl);
      try {
        const { runPeak } = run.memory;
        results.unshift(
          {
            benchmark: BENCH,
            name: 'import (create+run)',
            unit: 'rows',
            count: rows,
            perSecond: (rows * 1000) / (run.createMs + run.runMs),
            latency: await batchCycles(raw, organizationId, run.importId),
            note: `latency: per ${BATCH}-row batch; create ${seconds(run.createMs)}, run ${seconds(run.runMs)}`,
          },
          {
            benchmark: BENCH,
            name: 'import run only (start→done)',
            unit: 'rows',
            count: rows,
            perSecond: (rows * 1000) / run.runMs,
            note: `peak heap ${mib(runPeak.heapUsed)}, rss ${mib(runPeak.rss)} (file ${mib(bytes)})`,
          },
        );

        ctx.log(`baseline: raw pg INSERT of the same rows, ${BATCH} per transaction, as crm_app under RLS`);
        await raw.asOwner('TRUNCATE leads');
        const baseline = await rawInsertBaseline(raw, organizationId, admin.user.id, rows);
        const baselineName = `raw ${ctx.backend.kind === 'pglite' ? 'PGlite' : 'pg'} INSERT`;
        results.push({
          benchmark: BENCH,
          name: `${baselineName} (${BATCH}/tx)`,
          unit: 'rows',
          count: rows,
          perSecond: baseline.perSecond,
          latency: baseline.latency,
          note: 'baseline; latency: per batch',
        });
        for (const r of results.slice(0, 2)) {
          r.ratio = { of: baselineName, by: 'throughput', value: r.perSecond / baseline.perSecond };
        }

        const pgbench = ctx.backend.kind === 'postgres' ? await findPgbench() : null;
        if (pgbench) {
          ctx.log(`baseline: ${pgbench}, one client, ${BATCH} server-made rows per transaction`);
          await raw.asOwner('TRUNCATE leads');
          const transactions = Math.max(1, Math.floor(rows / BATCH));
          const bench = await runPgbench({
            binary: pgbench,
            url: shardUrl,
            script: pgbenchScript,
            transactions,
            variables: { org: organizationId, creator: admin.user.id },
            workDir,
          });
          const perSecond = bench.tps * BATCH;
          results.push({
            benchmark: BENCH,
            name: `pgbench INSERT (${BATCH}/tx)`,
            unit: 'rows',
            count: transactions * BATCH,
            perSecond,
            latency: bench.latency,
            ratio: { of: baselineName, by: 'throughput', value: perSecond / baseline.perSecond },
            note: 'floor: rows made by the server',
          });
          results[0]!.note += `; ${((results[0]!.perSecond / perSecond) * 100).toFixed(0)}% of pgbench`;
        } else if (ctx.backend.kind === 'postgres') {
          ctx.log('no pgbench binary on PATH: its baseline is left out');
        }
      } finally {
        await raw.close();
      }
      for (const result of results) ctx.record(result);
    } finally {
      await stack.stop();
      await dbs.drop();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
