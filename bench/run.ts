import os from 'node:os';
import { apiBenchmark } from './api.bench.ts';
import { eventsBenchmark } from './events.bench.ts';
import { importBenchmark } from './import.bench.ts';
import { jobsBenchmark } from './jobs.bench.ts';
import { reportsBenchmark } from './reports.bench.ts';
import { type BenchContext, type Benchmark, sizeFromEnv } from './support/bench.ts';
import { detectBackend } from './support/database.ts';
import { type BenchResult, headerLine, markdownTable, resultLine } from './support/table.ts';
import { uploadBenchmark } from './upload.bench.ts';

/**
 * `npm run bench [-- <name…>]`: runs the named benchmarks (all of them without names) against the real
 * PostgreSQL on 127.0.0.1, or PGlite when it does not answer, and prints one line per result plus a summary.
 * Sizes come from the environment (BENCH_ROWS, …); see docs/performance.md.
 */
const benchmarks: Benchmark[] = [
  importBenchmark,
  uploadBenchmark,
  reportsBenchmark,
  eventsBenchmark,
  jobsBenchmark,
  apiBenchmark,
];

const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('usage: npm run bench [-- <name…>]\n');
  for (const b of benchmarks) console.log(`  ${b.name.padEnd(10)} ${b.summary}`);
  process.exit(0);
}
const unknown = names.filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = names.length ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;

const backend = await detectBackend();
const cpus = os.cpus();
console.log(`date     ${new Date().toISOString()}`);
console.log(
  `machine  ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
);
console.log(`node     ${process.version}`);
console.log(`database ${backend.version}${backend.kind === 'postgres' ? ' at 127.0.0.1 (role crm_app, RLS on)' : ''}`);
console.log(`command  npm run bench${names.length ? ` -- ${names.join(' ')}` : ''}`);
if (backend.kind === 'pglite') {
  console.log(`\n!! ${backend.reason}: running on embedded PGlite with smaller default sizes.`);
  console.log('!! These are PGlite numbers (one in-process connection), not PostgreSQL numbers.');
}

const results: BenchResult[] = [];
const failed: string[] = [];
for (const benchmark of selected) {
  console.log(`\n== ${benchmark.name}: ${benchmark.summary}`);
  let headerShown = false;
  const ctx: BenchContext = {
    backend,
    size: (variable, postgresDefault, pgliteDefault) =>
      sizeFromEnv(variable, backend.kind === 'postgres' ? postgresDefault : pgliteDefault),
    record(result) {
      if (!headerShown) console.log(headerLine());
      headerShown = true;
      results.push(result);
      console.log(resultLine(result));
    },
    log: (message) => console.log(`   ${message}`),
  };
  const started = Date.now();
  try {
    await benchmark.run(ctx);
    console.log(`   (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } catch (error) {
    failed.push(benchmark.name);
    console.error(`!! ${benchmark.name} failed:`, error);
  }
}

console.log(`\n== summary (${backend.version})`);
console.log(headerLine());
for (const result of results) console.log(resultLine(result));
if (process.env.BENCH_MARKDOWN === '1') console.log(`\n${markdownTable(results)}`);
if (failed.length) console.error(`\nfailed: ${failed.join(', ')}`);
// Pools and timers of the stacks are closed; anything a failure left open must not keep the process alive.
process.exit(failed.length ? 1 : 0);
