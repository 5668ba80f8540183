import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inReadScope } from '../../db/read-routing.ts';
import { parseToken } from '../../edge/protocol/consistency-token.ts';
import { setupDatabases } from '../../scripts/db-setup.ts';
import { apiClient } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { type Cluster, canStartClusters, postgresFolder, startPrimary, startReplica } from '../support/pg-cluster.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * A real streaming replica: the suite starts its own primary (initdb on a free port, in a temporary folder) and a
 * hot standby of it (pg_basebackup -R), and a region whose one shard reads through the standby. Replay is paused to
 * make the replica visibly behind. The main cluster on 5432 is not touched (only the directory may live there).
 */
const DATABASE = 'crm_replica_0';

let folder: string;
let primary: Cluster;
let replica: Cluster;
let stack: TestStack;
let standby: pg.Client;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  if (!canStartClusters) return;
  folder = postgresFolder('crm-replica-test-');
  primary = await startPrimary(folder);
  await setupDatabases({
    adminUrl: primary.adminUrl(),
    role: 'crm_app',
    password: 'crm_app',
    databases: [DATABASE],
    recreate: true,
  });
  replica = await startReplica(primary, folder);
  stack = await startTestStack({
    regions: ['us'],
    shards: { us: [primary.appUrl(DATABASE)] },
    replicas: { us: [replica.appUrl(DATABASE)] },
    // Every read reaches the region, so what the replica answers is what the client sees.
    edge: { cacheTtlSeconds: 0 },
  });
  standby = new pg.Client({ connectionString: replica.adminUrl(DATABASE) });
  await standby.connect();
  api = apiClient(stack.edgeUrl);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await standby?.end().catch(() => {});
  await replica?.stop('immediate');
  await primary?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
}, 60_000);

/** Waits until the standby has replayed `token`'s position of shard us-0. */
async function caughtUp(token: string) {
  const position = parseToken(token).get('us-0');
  expect(position).toBeDefined();
  const lsn = token.split('@')[1]!;
  for (let i = 0; i < 200; i++) {
    const { rows } = await standby.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
    if (rows[0]?.done) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the replica did not replay ${lsn} within 10 s`);
}

async function metrics(): Promise<string> {
  return (await fetch(`${stack.regionUrls.us}/metrics`)).text();
}

const sample = (text: string, name: string, labels: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe.skipIf(!canStartClusters)('read replicas with read-your-writes (a real streaming replica)', () => {
  let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
  let manager: Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;

  it('answers every write with a consistency token the replica reaches', async () => {
    admin = await api.signup('replica');
    manager = await api.member(admin.token, 'manager');
    const made = await api.call('POST', '/api/v1/leads', { token: admin.token, body: { firstName: 'Before' } });
    expect(made.status).toBe(201);
    const token = made.headers.get('x-consistency-token');
    expect(token).toMatch(/^us-0@[0-9A-F]+\/[0-9A-F]+$/);
    // The region's word on its replicas is for the edge (edge/consistency.ts), not passed on to the client.
    expect(made.headers.get('x-read-replicas')).toBeNull();
    await caughtUp(token!);
    // Caught up, the manager (who wrote nothing) reads it from the replica.
    expect((await api.call('GET', `/api/v1/leads/${made.data.id}`, { token: manager.token })).status).toBe(200);
    expect(sample(await metrics(), 'db_reads_total', 'target="replica",reason="no_token"')).toBeGreaterThan(0);
  });

  it('reads a write at once with its token while replay is paused; without one, reads go to the replica', async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      const made = await api.call('POST', '/api/v1/leads', { token: admin.token, body: { firstName: 'During' } });
      expect(made.status).toBe(201);
      const token = made.headers.get('x-consistency-token')!;
      const id = made.data.id as string;

      // The writer sends nothing: the edge kept the token for them and the region served them from the primary.
      const own = await api.call('GET', `/api/v1/leads/${id}`, { token: admin.token });
      expect(own.status).toBe(200);
      const list = await api.call('GET', '/api/v1/leads', { token: admin.token });
      expect(list.data.data.map((l: { id: string }) => l.id)).toContain(id);

      // Another member without a token reads the paused replica, which has not seen the lead.
      expectError(await api.call('GET', `/api/v1/leads/${id}`, { token: manager.token }), 404);
      // Echoing the writer's token (an API client passing it on) reads it.
      const echoed = await api.call('GET', `/api/v1/leads/${id}`, {
        token: manager.token,
        headers: { 'x-consistency-token': token },
      });
      expect(echoed.status).toBe(200);

      const text = await metrics();
      expect(sample(text, 'db_replication_lag_bytes', 'shard="us-0"')).toBeGreaterThan(0);
      expect(sample(text, 'db_replication_lag_seconds', 'shard="us-0"')).toBeGreaterThan(0);
      expect(sample(text, 'db_replica_up', 'shard="us-0"')).toBe(1);
      expect(sample(text, 'db_reads_total', 'target="primary",reason="behind_token"')).toBeGreaterThan(0);

      await standby.query('SELECT pg_wal_replay_resume()');
      await caughtUp(token);
      expect((await api.call('GET', `/api/v1/leads/${id}`, { token: manager.token })).status).toBe(200);
      // Caught up, a read with the token is served by the replica again.
      const before = sample(await metrics(), 'db_reads_total', 'target="replica",reason="caught_up"') ?? 0;
      await api.call('GET', `/api/v1/leads/${id}`, { token: manager.token, headers: { 'x-consistency-token': token } });
      expect(sample(await metrics(), 'db_reads_total', 'target="replica",reason="caught_up"')).toBeGreaterThan(before);
      let lag = Number.NaN;
      for (let i = 0; i < 100 && lag !== 0; i++) {
        lag = sample(await metrics(), 'db_replication_lag_bytes', 'shard="us-0"') ?? Number.NaN;
        if (lag !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(lag).toBe(0);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()').catch(() => {});
    }
  });

  it('runs work that turns out to write on the primary, after the standby refuses it', async () => {
    const { shards } = stack.regions.us!.ctx;
    const renamed = `Renamed ${Date.now()}`;
    const served = await inReadScope(new Map(), async (scope) => {
      await shards.withTenant(admin.organization.id, (tx) =>
        tx.execute(sql`UPDATE organizations SET name = ${renamed} WHERE id = ${admin.organization.id}`),
      );
      return scope.served;
    });
    expect(served).toEqual([{ shard: 'us-0', target: 'primary', reason: 'wrote' }]);
    const check = new pg.Client({ connectionString: primary.adminUrl(DATABASE) });
    await check.connect();
    try {
      const { rows } = await check.query('SELECT name FROM organizations WHERE id = $1', [admin.organization.id]);
      expect(rows[0]?.name).toBe(renamed);
    } finally {
      await check.end();
    }
  });

  it('refuses a malformed token with a 400 envelope', async () => {
    const reply = await api.call('GET', '/api/v1/leads', {
      token: admin.token,
      headers: { 'x-consistency-token': 'not a token' },
    });
    expectError(reply, 400, 'invalid_consistency_token');
  });

  it('falls back to the primary when the replica is down', async () => {
    const made = await api.call('POST', '/api/v1/leads', { token: admin.token, body: { firstName: 'After' } });
    await standby.end();
    await replica.stop('immediate');
    const read = await api.call('GET', `/api/v1/leads/${made.data.id}`, { token: manager.token });
    expect(read.status).toBe(200);
    const text = await metrics();
    expect(sample(text, 'db_replica_up', 'shard="us-0"')).toBe(0);
    expect(sample(text, 'db_reads_total', 'target="primary",reason="replica_unavailable"')).toBeGreaterThan(0);
  });
});
