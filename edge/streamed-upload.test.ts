import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CSV_HEADER,
  csvRow,
  expectImportCreated,
  multipartOverhead,
  multipartStream,
  postStream,
  regionStoring,
  storedFiles,
} from '../test/runtime/streamed-upload.ts';
import { apiClient } from '../test/support/api.ts';
import { TEST_REGIONS } from '../test/support/databases.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../test/support/stack.ts';
import { createEdgeApp } from './app.ts';
import { nodeFetch } from './node-fetch.ts';

const MiB = 1024 * 1024;
const region = TEST_REGIONS[0];
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let folder: string;
let csvPath: string;
let rows = 0;

/** Writes a CSV of at least `bytes` bytes to disk, a batch of rows at a time, as the test never holds it either. */
async function writeCsv(path: string, bytes: number) {
  const out = createWriteStream(path);
  let size = 0;
  out.write(CSV_HEADER);
  size += CSV_HEADER.length;
  while (size < bytes) {
    let batch = '';
    for (let i = 0; i < 1000; i++) batch += csvRow(rows++);
    size += batch.length;
    if (!out.write(batch)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'crm-streamed-upload-'));
  csvPath = join(folder, 'leads.csv');
  // The edge as edge/node.ts runs it: its fetch streams a request body without keeping it.
  [stack] = await Promise.all([startTestStack({ edge: { fetch: nodeFetch } }), writeCsv(csvPath, 115 * MiB)]);
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('streamed-upload', { region });
});

afterAll(async () => {
  await stack?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

let collect: (() => void) | undefined;

/** A full collection, reached without a command-line flag (as bench/support/memory.ts does). */
function collectGarbage() {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

/**
 * Samples the process's memory while `work` runs: once a second, the array buffers and heap still referenced after a
 * full collection (where a file's bytes would sit, were they held: a whole-file buffer shows as at least the file's
 * size), and every 50 ms RSS and the array buffers garbage included (reported, not judged: how soon garbage is
 * swept depends on the machine's load). A collection at every sample would starve the upload on a busy machine.
 */
async function memoryDuring<T>(work: () => Promise<T>) {
  collectGarbage();
  const base = process.memoryUsage();
  let rss = 0;
  let buffers = 0;
  let live = 0;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - base.rss);
    buffers = Math.max(buffers, now.arrayBuffers - base.arrayBuffers);
  };
  const sampleLive = () => {
    collectGarbage();
    const now = process.memoryUsage();
    live = Math.max(live, now.arrayBuffers + now.heapUsed - (base.arrayBuffers + base.heapUsed));
  };
  const timer = setInterval(sample, 50);
  const liveTimer = setInterval(sampleLive, 1000);
  try {
    const result = await work();
    sample();
    collectGarbage();
    const after = process.memoryUsage();
    const kept = after.heapUsed + after.arrayBuffers - (base.heapUsed + base.arrayBuffers);
    // Array buffers still there after the collection are not the upload's passing chunks: on PGlite they are mostly
    // the database's WebAssembly memory, which grows with its work and never shrinks.
    const wasm = Math.max(0, after.arrayBuffers - base.arrayBuffers);
    return { result, rss, buffers: buffers - wasm, live: live - wasm, kept };
  } finally {
    clearInterval(timer);
    clearInterval(liveTimer);
  }
}

describe('uploads stream through the Node edge into the region', () => {
  it('imports a 115 MiB CSV from disk without holding it: 201, every row counted, memory far below its size', async () => {
    const size = statSync(csvPath).size;
    expect(size).toBeGreaterThan(115 * MiB);
    const storing = regionStoring(stack, region);
    const started = Date.now();
    const { result, rss, buffers, live, kept } = await memoryDuring(async () => {
      // node:http, not fetch: Node's fetch keeps a streamed body's chunks, and the client shares this process.
      const reply = await postStream(stack.edgeUrl, '/api/v1/imports', admin.token, {
        // The second half waits until the region is storing the first: only a streaming edge gets it there.
        body: multipartStream({ csv: { path: csvPath }, holdAfter: 8 * MiB, gate: storing }),
        length: size + multipartOverhead('leads.csv'),
      });
      return { status: reply.status, data: JSON.parse(reply.text) as Record<string, unknown> };
    });
    expectImportCreated(result.status, result.data, rows);
    // Edge and regions share this process; together they held a few chunks at a time, never the file. RSS is only
    // reported: the region's CSV scan makes heap garbage here, which a separate edge process would not have.
    const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
    const grew =
      `live heap and buffers peaked at ${mib(live)} (array buffers with garbage ${mib(buffers)}), ` +
      `RSS grew ${mib(rss)}; ${mib(kept)} kept after`;
    console.info(`115 MiB upload: ${grew}, ${Date.now() - started} ms`);
    expect(live, grew).toBeLessThan(size / 2);
    expect(kept, grew).toBeLessThan(size / 2);
    const key = (await storedFiles(stack, region)).find((path) => path.includes(String(result.data.id)));
    expect(key, 'the stored upload').toBeDefined();
  }, 120_000);

  it('cuts a body sent without Content-Length at the edge’s limit: 413, and nothing kept', async () => {
    // An edge of its own with a small upload limit, in front of the same regions.
    const limit = 2 * MiB;
    const edge = createEdgeApp({
      regions: stack.regionUrls,
      defaultRegion: region,
      sharedSecret: TEST_SECRET,
      rateLimit: { perOrganization: 100_000, perIp: 100_000, windowSeconds: 60 },
      maxUploadBytes: limit,
      fetch: nodeFetch,
    });
    const server = serve({ fetch: edge.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const before = await storedFiles(stack, region);
    const imported = await api.call('GET', '/api/v1/imports', { token: admin.token });
    try {
      for (const path of ['/api/v1/imports', `/api/v1/leads/${await leadId()}/attachments`]) {
        const reply = await postStream(`http://127.0.0.1:${port}`, path, admin.token, {
          body: multipartStream({ csv: { rows: 200_000 } }),
        });
        expect(reply.status, reply.text).toBe(413);
        expect(JSON.parse(reply.text).error).toMatchObject({
          code: 'payload_too_large',
          requestId: expect.any(String),
        });
      }
      // The region's half-written temporaries are removed once its request breaks off.
      await vi.waitFor(async () => expect(await storedFiles(stack, region)).toEqual(before), { timeout: 10_000 });
      const imports = await api.call('GET', '/api/v1/imports', { token: admin.token });
      expect(imports.data.data).toEqual(imported.data.data);
    } finally {
      await new Promise((done) => server.close(done));
    }
  }, 60_000);
});

async function leadId() {
  const made = await api.call('POST', '/api/v1/leads', { token: admin.token, body: { firstName: 'Attached' } });
  return made.data.id as string;
}
