import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFetch } from '../edge/node-fetch.ts';
import { apiClient } from '../test/support/api.ts';
import type { Benchmark } from './support/bench.ts';
import { createBenchDatabases } from './support/database.ts';
import { uploadThroughEdge } from './support/import-steps.ts';
import { writeLeadsCsv } from './support/leads.ts';
import { mib } from './support/memory.ts';
import { multipartFromFile } from './support/multipart-stream.ts';
import { startBenchStack } from './support/stack.ts';
import { nowMs } from './support/stats.ts';
import type { BenchResult } from './support/table.ts';

const BENCH = 'upload';
const SMALL_ROWS = 100_000;

/** The transport's floor: the same multipart POST to a bare Node server that reads the body and throws it away. */
async function drainBaseline(csvPath: string): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const upload = multipartFromFile(csvPath, { entity: 'lead' }, 'leads.csv');
    const started = nowMs();
    const response = await nodeFetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      method: 'POST',
      headers: upload.headers,
      body: upload.body,
      duplex: 'half',
    } as RequestInit);
    await response.text();
    return nowMs() - started;
  } finally {
    await new Promise((done) => server.close(done));
  }
}

export const uploadBenchmark: Benchmark = {
  name: BENCH,
  summary:
    'CSV upload through the edge (POST /api/v1/imports, multipart, streamed to the region, scanned and stored) of ' +
    'a 100,000-row file and a BENCH_ROWS one, with the memory held; baseline: the same POST to a bare Node server ' +
    'that discards the body',
  async run(ctx) {
    const rows = ctx.size('BENCH_ROWS', 1_000_000, 20_000);
    const sizes = [...new Set([Math.min(rows, SMALL_ROWS), rows])];
    const workDir = mkdtempSync(join(tmpdir(), 'crm-bench-upload-'));
    const files: { rows: number; path: string; bytes: number }[] = [];
    for (const n of sizes) {
      const path = join(workDir, `leads-${n}.csv`);
      files.push({ rows: n, path, bytes: await writeLeadsCsv(path, n) });
    }
    const largest = files.at(-1)!;
    const dbs = await createBenchDatabases(ctx.backend, BENCH, 2);
    // IMPORT_MAX_BYTES raised to the largest file, as an operator importing such files would set it.
    const stack = await startBenchStack({ ...dbs, uploadBytes: largest.bytes + 1024 * 1024 }).catch(async (error) => {
      await dbs.drop();
      throw error;
    });
    try {
      const api = apiClient(stack.edgeUrl);
      const token = (await api.signup('bench-upload')).token;
      for (const file of files) {
        ctx.log(`upload through the edge: ${file.rows.toLocaleString('en-US')} rows, ${mib(file.bytes)}`);
        const upload = await uploadThroughEdge(stack.edgeUrl, token, file.path, file.rows);
        const floorMs = await drainBaseline(file.path);
        const live = upload.liveHeldBytes / file.bytes;
        const result: BenchResult = {
          benchmark: BENCH,
          name: `upload via edge (${mib(file.bytes)})`,
          unit: 'rows',
          count: file.rows,
          perSecond: (file.rows * 1000) / upload.ms,
          ratio: { of: 'bare Node drain', by: 'throughput', value: floorMs / upload.ms },
          note: `live memory above idle at most ${mib(upload.liveHeldBytes)} = ${live.toFixed(2)}x the file (peak with garbage ${mib(upload.heldBytes)})`,
        };
        ctx.record(result);
        ctx.record({
          benchmark: BENCH,
          name: `bare Node drain (${mib(file.bytes)})`,
          unit: 'rows',
          count: file.rows,
          perSecond: (file.rows * 1000) / floorMs,
          note: 'baseline: the same multipart POST, body discarded',
        });
      }
    } finally {
      await stack.stop();
      await dbs.drop();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
