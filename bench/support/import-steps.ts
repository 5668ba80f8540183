import { openAsBlob } from 'node:fs';
import { decodeJwt } from 'jose';
import { nodeFetch } from '../../edge/node-fetch.ts';
import type { Principal, Role } from '../../edge/protocol/principal.ts';
import { uploadOfForm } from '../../regions/attachments/multipart.ts';
import type { RegionContext } from '../../regions/context.ts';
import { createImport } from '../../regions/imports/create.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { BenchContext } from './bench.ts';
import { liveHeapBytes, type MemoryFigures, memorySampler, mib } from './memory.ts';
import { multipartFromFile } from './multipart-stream.ts';
import { nowMs } from './stats.ts';

type Api = ReturnType<typeof apiClient>;
export type Session = Awaited<ReturnType<Api['signup']>>;
type ImportView = { id: string; status: string; processedRows: number; createdRows: number; failedRows: number };
type CreatedView = ImportView & { mapping: Record<string, string>; totalRows: number };
type Checkpoint = { processed: number; liveHeap: number; running: boolean };

const idleMemory = () => ({ heapUsed: liveHeapBytes(), external: process.memoryUsage().external });
type Idle = ReturnType<typeof idleMemory>;
const above = (peak: MemoryFigures, idle: Idle) => peak.heapUsed + peak.external - idle.heapUsed - idle.external;

function checkCreated(created: CreatedView, rows: number) {
  if (created.totalRows !== rows || Object.keys(created.mapping).length !== 8) {
    throw new Error(`the upload reads as ${created.totalRows} rows mapped ${JSON.stringify(created.mapping)}`);
  }
}

/**
 * POST /api/v1/imports through the edge as a browser sends it (multipart, streamed from disk with backpressure):
 * how long the upload takes and how much memory the edge and region hold for it.
 */
export async function uploadThroughEdge(edgeUrl: string, token: string, csvPath: string, rows: number) {
  const memory = memorySampler();
  const idle = idleMemory();
  memory.take();
  // Once a second, what is still referenced after a full collection: a buffered body shows here, garbage does not.
  let liveHeld = 0;
  const live = setInterval(() => {
    const held = liveHeapBytes() + process.memoryUsage().external - idle.heapUsed - idle.external;
    liveHeld = Math.max(liveHeld, held);
  }, 1000);
  const started = nowMs();
  const upload = multipartFromFile(csvPath, { entity: 'lead' }, 'leads.csv');
  const response = await nodeFetch(`${edgeUrl}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...upload.headers },
    body: upload.body,
    duplex: 'half',
  } as RequestInit);
  const created = (await response.json()) as CreatedView;
  const ms = nowMs() - started;
  const peak = memory.take();
  memory.stop();
  clearInterval(live);
  if (response.status !== 201) throw new Error(`create import answered ${response.status}: ${JSON.stringify(created)}`);
  checkCreated(created, rows);
  return { ms, heldBytes: above(peak, idle), liveHeldBytes: liveHeld, peak };
}

/** The principal the edge builds from this session's access token, as the region receives it. */
function principalOf(session: Session, region: string): Principal {
  const claims = decodeJwt(session.token) as { sub: string; org: string; role: Role; sid: string };
  return {
    type: 'user',
    organizationId: claims.org,
    region,
    userId: claims.sub,
    role: claims.role,
    sessionId: claims.sid,
  };
}

/** Polls the import until it ends; at each tenth of the file, the heap left after a full collection. */
async function waitForImport(api: Api, token: string, id: string, rows: number, ctx: BenchContext) {
  const checkpoints: Checkpoint[] = [];
  let nextTenth = 1;
  let timeouts = 0;
  for (;;) {
    const { status, data } = await api.call<ImportView>('GET', `/api/v1/imports/${id}`, { token });
    // A machine shared with other work can keep the region from answering a progress read in time; the import
    // itself goes on, so a few such misses in a row are waited out rather than ending the run.
    if (status === 504 && ++timeouts <= 10) {
      ctx.log(`  progress read timed out (${timeouts} in a row); asking again`);
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    if (status !== 200) throw new Error(`GET import answered ${status}: ${JSON.stringify(data)}`);
    timeouts = 0;
    if (nextTenth <= 10 && data.processedRows >= (rows * nextTenth) / 10) {
      const running = data.status === 'running';
      checkpoints.push({ processed: data.processedRows, liveHeap: liveHeapBytes(), running });
      ctx.log(`  ${data.processedRows.toLocaleString('en-US')} rows imported`);
      while (nextTenth <= 10 && data.processedRows >= (rows * nextTenth) / 10) nextTenth++;
    }
    if (['completed', 'failed', 'cancelled'].includes(data.status)) return { view: data, checkpoints };
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The import of the whole file: created by createImport (what POST /imports calls once the multipart body is
 * parsed) with a file-backed File, then started and followed through the edge with the session's token, so the
 * run is the background run users get.
 */
export async function importFile(
  ctx: BenchContext,
  region: RegionContext,
  api: Api,
  session: Session,
  csvPath: string,
  rows: number,
) {
  const memory = memorySampler();
  const idle = idleMemory();
  memory.take();
  const started = nowMs();
  const file = new File([await openAsBlob(csvPath)], 'leads.csv', { type: 'text/csv' });
  const actor = { principal: principalOf(session, region.region), ip: null, userAgent: 'bench', requestId: 'bench' };
  const form = new FormData();
  form.append('entity', 'lead');
  form.append('file', file);
  const created = (await createImport(region, actor, uploadOfForm(form))).body as CreatedView;
  checkCreated(created, rows);
  const createdAt = nowMs();
  const createPeak = memory.take();
  const start = await api.call('POST', `/api/v1/imports/${created.id}/start`, { token: session.token });
  if (start.status !== 202) throw new Error(`start answered ${start.status}: ${JSON.stringify(start.data)}`);
  const { view, checkpoints } = await waitForImport(api, session.token, created.id, rows, ctx);
  const finished = nowMs();
  const runPeak = memory.take();
  memory.stop();
  if (view.status !== 'completed' || view.createdRows !== rows || view.failedRows !== 0) {
    throw new Error(`the import ended ${JSON.stringify(view)}`);
  }
  return {
    importId: created.id,
    createMs: createdAt - started,
    runMs: finished - createdAt,
    memory: { idle, createPeak, runPeak, checkpoints },
  };
}

/**
 * What the import held. Create: the peak above the idle process, against the file's size. Run: how the heap left
 * after a full collection grows per row while the import runs (peaks between collections are mostly garbage, so
 * they are shown, not judged); flat means the growth over the whole file stays under a tenth of its size.
 */
export function describeMemory(
  ctx: BenchContext,
  m: Awaited<ReturnType<typeof importFile>>['memory'],
  rows: number,
  bytes: number,
) {
  const { idle, createPeak, runPeak, checkpoints } = m;
  ctx.log(
    `memory: file ${mib(bytes)}; idle live heap ${mib(idle.heapUsed)}; create peak ${mib(above(createPeak, idle))} above idle ` +
      `(heap+external); run peak heap ${mib(runPeak.heapUsed)}, external ${mib(runPeak.external)}, rss ${mib(runPeak.rss)}`,
  );
  const live = checkpoints.map((c) => `${(c.liveHeap / 2 ** 20).toFixed(0)}${c.running ? '' : ' (done)'}`);
  ctx.log(`run: live heap after GC at each tenth of the file: ${live.join(', ')} MiB`);
  const running = checkpoints.filter((c) => c.running);
  const first = running[0];
  const last = running[running.length - 1];
  if (!first || !last || last.processed <= first.processed) return;
  const perRow = (last.liveHeap - first.liveHeap) / (last.processed - first.processed);
  const flat = Math.abs(perRow) * rows < bytes / 10;
  ctx.log(
    `run: live heap grows ${perRow.toFixed(0)} bytes/row while running (${mib(perRow * rows)} over the file, ` +
      `${((perRow * rows * 100) / bytes).toFixed(0)}% of its size): ${flat ? 'flat' : 'NOT flat'}`,
  );
}
