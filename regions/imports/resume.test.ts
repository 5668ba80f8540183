import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { and, count, countDistinct, eq, sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, imports, leads } from '../../db/schema/index.ts';
import { ShardSet } from '../../db/shard-set.ts';
import { createEdgeApp } from '../../edge/app.ts';
import { apiClient } from '../../test/support/api.ts';
import { directoryUrl, realPostgres, shardUrls } from '../../test/support/databases.ts';
import { TEST_SECRET } from '../../test/support/stack.ts';
import type { RegionConfig } from '../config.ts';
import { openRegion } from '../region.ts';
import { defaultFilesConfig } from '../storage/config.ts';
import { IMPORT_QUEUE } from './job.ts';
import { LEASE_MS } from './lease.ts';
import { runImport } from './run.ts';
import { gateStorage, uploadCsv, waitForImport } from './test-support.ts';

/**
 * A region stopped and opened again on the same databases and files, as a deployment restarts it: on PGlite the
 * shards and directory live in folders (the default test stack keeps them in memory, which a restart would lose).
 */
type Region = Awaited<ReturnType<typeof openRegion>>;

/** What the region logs, kept to see how its batch worker's runs ended (`import job done`). */
const logged: { msg?: string; outcome?: string; importId?: string }[] = [];
const log = pino(
  { level: 'info' },
  {
    write(line: string) {
      logged.push(JSON.parse(line));
      if (process.env.TEST_LOG_LEVEL && process.env.TEST_LOG_LEVEL !== 'silent') process.stdout.write(line);
    },
  },
);
let root: string;
let signingKey: string;
let region: Region | null = null;
let api: ReturnType<typeof apiClient>;
let edgeUrl: string;
const servers: ReturnType<typeof serve>[] = [];

const shardConfigs = () =>
  (realPostgres ? shardUrls('us') : [0, 1].map((i) => `pglite:${join(root, `us-${i}`)}`)).map((url, i) => ({
    id: `us-${i}`,
    url,
  }));

function regionConfig(): RegionConfig {
  return {
    region: 'us',
    shardUrls: shardConfigs().map((s) => s.url),
    directoryUrl: realPostgres ? directoryUrl() : `pglite:${join(root, 'directory')}`,
    sharedSecret: TEST_SECRET,
    signingKey,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 3600,
    poolSize: 4,
    files: defaultFilesConfig(join(root, 'files'), 'us'),
    // Imports run in the batch worker; its jobs outlive the region's process in the job queue.
    workers: 'batch',
  };
}

async function openUs() {
  region = await openRegion(regionConfig(), log);
  return region;
}

/** Stops the region as its process does on SIGTERM; `whileStopping` runs once the stop has begun. */
async function stopUs(whileStopping: () => void = () => {}) {
  const closing = region!.close();
  region = null;
  await new Promise((resolve) => setTimeout(resolve, 20));
  whileStopping();
  await closing;
}

/** The shards on their own, while no region has them open (PGlite folders take one opener at a time). */
async function withShards<T>(work: (shards: ShardSet) => Promise<T>): Promise<T> {
  const shards = await ShardSet.open('us', shardConfigs(), 2);
  try {
    return await work(shards);
  } finally {
    await shards.close();
  }
}

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'crm-import-resume-'));
  signingKey = JSON.stringify(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey));
  await openUs();
  // One address for the region across its restarts, as a load balancer gives it.
  const regionUrl = await listen((request) => {
    if (!region) return new Response('region restarting', { status: 503 });
    return region.app.fetch(request);
  });
  const edge = createEdgeApp({
    regions: { us: regionUrl },
    defaultRegion: 'us',
    sharedSecret: TEST_SECRET,
    rateLimit: { perOrganization: 100_000, perIp: 100_000, windowSeconds: 60 },
    clientIp: (c) => getConnInfo(c).remote.address,
  });
  edgeUrl = await listen(edge.fetch);
  api = apiClient(edgeUrl);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  await region?.close();
  rmSync(root, { recursive: true, force: true });
});

/** n lead rows; the rows at the given (0-based) positions carry a seat count that is not a number. */
function leadsCsv(tag: string, n: number, badSeatsAt: number[] = []) {
  const rows = Array.from(
    { length: n },
    (_, i) => `Lead ${i},${tag},lead${i}@${tag}.example,Co ${i},${badSeatsAt.includes(i) ? 'many' : i}`,
  );
  return ['First Name,Surname,E-mail,Company,Seats', ...rows].join('\n');
}

/** An organization with a number custom field `seats`, and a lead import of `csv` uploaded, mapped, not started. */
async function prepare(tag: string, csv: string) {
  const session = await api.signup(tag);
  const field = await api.call('POST', '/api/v1/custom-fields', {
    token: session.token,
    body: { entity: 'lead', key: 'seats', label: 'Seats', type: 'number' },
  });
  expect(field.status, JSON.stringify(field.data)).toBe(201);
  const made = await uploadCsv(edgeUrl, session.token, csv, 'lead');
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  expect(made.data.mapping).toMatchObject({ 'E-mail': 'email', Seats: 'cf.seats' });
  return { ...session, importId: made.data.id as string };
}

/** What the databases hold for an organization: its leads (and distinct emails), and its import's audit rows. */
async function stored(shards: ShardSet, organizationId: string) {
  return shards.withTenant(organizationId, async (tx) => {
    const [people] = await tx
      .select({ n: count(), emails: countDistinct(leads.email) })
      .from(leads)
      .where(eq(leads.organizationId, organizationId));
    const actions = await tx
      .select({ action: auditLog.action, n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.targetType, 'import')))
      .groupBy(auditLog.action);
    const [row] = await tx.select().from(imports).where(eq(imports.organizationId, organizationId));
    return {
      leads: people!.n,
      distinctEmails: people!.emails,
      audit: Object.fromEntries(actions.map((a) => [a.action, a.n])),
      import: row!,
    };
  });
}

/** Puts an import in the state a run leaves it in: `running`, held by a run token, its last batch `ago` ms back. */
async function heldByAnotherRun(shards: ShardSet, organizationId: string, importId: string, ago: number) {
  await shards.withTenant(organizationId, (tx) =>
    tx
      .update(imports)
      .set({
        status: 'running',
        startedAt: sql`coalesce(${imports.startedAt}, now())`,
        updatedAt: new Date(Date.now() - ago),
        options: sql`${imports.options} || '{"runToken":"a-run-of-another-process"}'::jsonb`,
      })
      .where(and(eq(imports.organizationId, organizationId), eq(imports.id, importId))),
  );
}

async function errorLines(token: string, url: string) {
  const report = await api.call('GET', url, { token });
  expect(report.status).toBe(200);
  return (report.data as string)
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]);
}

/** Resolves once the region's batch worker has ended a run of the import as `outcome`. */
async function runEnded(importId: string, outcome: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (!logged.some((l) => l.msg === 'import job done' && l.importId === importId && l.outcome === outcome)) {
    if (Date.now() > until) throw new Error(`no run of ${importId} ended ${outcome}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('resuming imports when a region starts again', () => {
  it('finishes an import stopped mid-way by a region stop: no row lost, none imported twice', async () => {
    const csv = leadsCsv('restart', 3000, [299, 2499]);
    const { token, organization, importId } = await prepare('resume-restart', csv);
    const gate = gateStorage(region!.ctx.storage, Math.floor(csv.length * 0.4));
    expect((await api.call('POST', `/api/v1/imports/${importId}/start`, { token })).status).toBe(202);
    await waitForImport(api, token, importId, (d) => d.processedRows >= 1000);
    // The stop lets the run finish the batch in hand (released by the gate), then puts the import back in the queue
    // with a job, which the batch worker of the reopened region takes.
    await stopUs(() => gate.state.open());

    const paused = await withShards((shards) => stored(shards, organization.id));
    expect(paused.import.status).toBe('queued');
    expect(paused.import.options.runToken).toBeUndefined();
    const committed = paused.import.processedRows;
    expect(committed % 500).toBe(0);
    expect(committed).toBeGreaterThanOrEqual(1000);
    expect(committed).toBeLessThan(3000);
    expect(paused.leads).toBe(committed - 1);
    expect(paused.audit['import.batch']).toBe(committed / 500);

    await openUs();
    const done = await waitForImport(api, token, importId);
    expect(done).toMatchObject({
      status: 'completed',
      totalRows: 3000,
      processedRows: 3000,
      createdRows: 2998,
      failedRows: 2,
    });
    const after = await stored(region!.ctx.shards, organization.id);
    expect(after).toMatchObject({ leads: 2998, distinctEmails: 2998 });
    // Every batch committed once, across both runs; one start, one completion.
    expect(after.audit).toMatchObject({ 'import.batch': 6, 'import.started': 1, 'import.completed': 1 });
    // The report holds the bad row of each run once: the resumed run re-reads the rows it skips only for it.
    expect(await errorLines(token, done.errorsUrl)).toEqual(['301', '2501']);
    const seats = await api.call('GET', '/api/v1/leads?cf.seats=2998', { token });
    expect(seats.data.data.map((l: { email: string }) => l.email)).toEqual(['lead2998@restart.example']);
  });

  it('takes over an import whose process died after its lease, leaves a live one to its run, ends a cancelled one', async () => {
    // Each import's job is what brings a run to it: a stopped region's run queued one, a dead one's stays in the
    // queue (pg-boss retries it once its heartbeats stop); one without a job waits for a start.
    const crashed = await prepare('resume-crash', leadsCsv('crash', 1200, [1100]));
    const live = await prepare('resume-live', leadsCsv('live', 700));
    const quiet = await prepare('resume-quiet', leadsCsv('quiet', 10));
    const stuck = await prepare('resume-stuck', leadsCsv('stuck', 10));
    const gate = gateStorage(region!.ctx.storage, Math.floor(leadsCsv('crash', 1200).length * 0.5));
    await api.call('POST', `/api/v1/imports/${crashed.importId}/start`, { token: crashed.token });
    await waitForImport(api, crashed.token, crashed.importId, (d) => d.processedRows >= 500);
    await stopUs(() => gate.state.open());
    // As a process killed mid-run leaves them: still `running`, held by a run that will never come back (its last
    // batch long ago), and one whose run is at work elsewhere (its last batch a moment ago).
    await withShards(async (shards) => {
      await heldByAnotherRun(shards, crashed.organization.id, crashed.importId, LEASE_MS + 60_000);
      await heldByAnotherRun(shards, live.organization.id, live.importId, 0);
      await heldByAnotherRun(shards, quiet.organization.id, quiet.importId, 0);
      // Cancelled while its run was away: no run will claim it, so nobody would ever end it.
      await heldByAnotherRun(shards, stuck.organization.id, stuck.importId, LEASE_MS + 60_000);
      await shards.withTenant(stuck.organization.id, (tx) =>
        tx.update(imports).set({ cancelRequested: true }).where(eq(imports.id, stuck.importId)),
      );
    });

    const reopened = await openUs();
    // The stuck one's job, as its dead run left it in the queue.
    await reopened.ctx.jobs.sendNow(IMPORT_QUEUE, { organizationId: stuck.organization.id, importId: stuck.importId });
    const done = await waitForImport(api, crashed.token, crashed.importId);
    expect(done).toMatchObject({ status: 'completed', processedRows: 1200, createdRows: 1199, failedRows: 1 });
    const after = await stored(reopened.ctx.shards, crashed.organization.id);
    expect(after).toMatchObject({ leads: 1199, distinctEmails: 1199 });
    expect(after.audit).toMatchObject({ 'import.batch': 3, 'import.completed': 1 });
    expect(await errorLines(crashed.token, done.errorsUrl)).toEqual(['1102']);

    // The live one is not taken: it has no job here, and its run holds the lease.
    const untouched = await api.call('GET', `/api/v1/imports/${live.importId}`, { token: live.token });
    expect(untouched.data).toMatchObject({ status: 'running', processedRows: 0 });
    expect((await stored(reopened.ctx.shards, live.organization.id)).leads).toBe(0);
    // Once its lease has run out (its process gone after all), a start takes it over.
    await reopened.ctx.shards.withTenant(live.organization.id, (tx) =>
      tx
        .update(imports)
        .set({ updatedAt: new Date(Date.now() - LEASE_MS - 1000) })
        .where(eq(imports.id, live.importId)),
    );
    expect((await api.call('POST', `/api/v1/imports/${live.importId}/start`, { token: live.token })).status).toBe(202);
    expect(await waitForImport(api, live.token, live.importId)).toMatchObject({
      status: 'completed',
      createdRows: 700,
    });

    expect(await waitForImport(api, stuck.token, stuck.importId)).toMatchObject({
      status: 'cancelled',
      processedRows: 0,
    });
    // A cancel of an import whose run has gone quiet past its lease ends it at once: nobody else would.
    await reopened.ctx.shards.withTenant(quiet.organization.id, (tx) =>
      tx
        .update(imports)
        .set({ updatedAt: new Date(Date.now() - LEASE_MS - 1000) })
        .where(eq(imports.id, quiet.importId)),
    );
    const cancelled = await api.call('POST', `/api/v1/imports/${quiet.importId}/cancel`, { token: quiet.token });
    expect(cancelled.data).toMatchObject({ status: 'cancelled', cancelRequested: true });
    const quietRow = (await stored(reopened.ctx.shards, quiet.organization.id)).import;
    expect(quietRow.options.runToken).toBeUndefined();
  });

  it('stops a run whose import another run took over before its next batch, so no row is written twice', async () => {
    const csv = leadsCsv('takeover', 3000);
    const { token, organization, importId } = await prepare('resume-takeover', csv);
    const ctx = region!.ctx;
    const gate = gateStorage(ctx.storage, Math.floor(csv.length * 0.4));
    await api.call('POST', `/api/v1/imports/${importId}/start`, { token });
    await waitForImport(api, token, importId, (d) => d.processedRows >= 1000);
    // The first run stalls (its file stops flowing) past its lease; a second run takes the import over and ends it.
    await ctx.shards.withTenant(organization.id, (tx) =>
      tx
        .update(imports)
        .set({ updatedAt: new Date(Date.now() - LEASE_MS - 1000) })
        .where(eq(imports.id, importId)),
    );
    gate.restore();
    await runImport(ctx, { organizationId: organization.id, importId }, { stopping: false });
    const done = await waitForImport(api, token, importId);
    expect(done).toMatchObject({ status: 'completed', processedRows: 3000, createdRows: 3000 });
    // The stalled run wakes with a batch in hand: it finds the import no longer its own and writes nothing.
    gate.state.open();
    await runEnded(importId, 'lost');
    const after = await stored(ctx.shards, organization.id);
    expect(after).toMatchObject({ leads: 3000, distinctEmails: 3000 });
    expect(after.audit).toMatchObject({ 'import.batch': 6, 'import.completed': 1 });
    expect(after.import).toMatchObject({ status: 'completed', processedRows: 3000, createdRows: 3000 });
  });
});
