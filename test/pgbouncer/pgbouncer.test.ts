import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '../../db/schema/index.ts';
import { setupDatabases } from '../../scripts/db-setup.ts';
import { apiClient } from '../support/api.ts';
import { expectError } from '../support/envelope.ts';
import { type Cluster, canStartClusters, postgresFolder, startPrimary } from '../support/pg-cluster.ts';
import { hasPgBouncer, type PgBouncer, startPgBouncer } from '../support/pgbouncer.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The supported PgBouncer setup (docs/operations.md): transaction pooling in front of the shards. A region migrates,
 * runs the API and keeps tenants apart through it, because the tenant setting is transaction-local; a control
 * shows that a session-level setting would leak between clients through the same pooler.
 */
const SHARDS = ['crm_bouncer_0', 'crm_bouncer_1'];

let folder: string;
let server: Cluster;
let bouncer: PgBouncer;
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  if (!canStartClusters || !hasPgBouncer) return;
  folder = postgresFolder('crm-pgbouncer-test-');
  server = await startPrimary(folder);
  await setupDatabases({
    adminUrl: server.adminUrl(),
    role: 'crm_app',
    password: 'crm_app',
    databases: SHARDS,
    recreate: true,
  });
  bouncer = await startPgBouncer(folder, server.port, {
    crm_bouncer_0: { dbname: 'crm_bouncer_0' },
    crm_bouncer_1: { dbname: 'crm_bouncer_1' },
    // One server connection for every client: what one client leaves in its session, the next one finds.
    crm_bouncer_single: { dbname: 'crm_bouncer_0', poolSize: 1 },
  });
  // Migrations and every query of the region through the pooler (jobs included: pg-boss on every shard).
  stack = await startTestStack({
    regions: ['us'],
    shards: { us: SHARDS.map((db) => bouncer.appUrl(db)) },
    edge: { cacheTtlSeconds: 0 },
  });
  api = apiClient(stack.edgeUrl);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await bouncer?.stop();
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!canStartClusters || !hasPgBouncer)('PgBouncer in transaction pooling in front of the shards', () => {
  it('migrated through it without leaving a lock behind', async () => {
    // The migration lock is a transaction's, so it is released whichever server connection PgBouncer gave it; a
    // session lock could stay on a pooled server connection and hold the next region's start.
    const direct = new pg.Client({ connectionString: server.adminUrl('crm_bouncer_0') });
    await direct.connect();
    try {
      const { rows } = await direct.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
      expect(rows[0]?.n).toBe(0);
    } finally {
      await direct.end();
    }
  });

  it('serves the API: sign-up, leads written, read, listed, edited and deleted', async () => {
    const { token } = await api.signup('bouncer');
    const made = await api.call('POST', '/api/v1/leads', {
      token,
      body: { firstName: 'Pooled', lastName: 'Lead', email: 'pooled@bouncer.example', company: 'Pool Co' },
    });
    expect(made.status).toBe(201);
    const id = made.data.id as string;
    expect((await api.call('GET', `/api/v1/leads/${id}`, { token })).status).toBe(200);
    const list = await api.call('GET', '/api/v1/leads?limit=10', { token });
    expect(list.data.data.map((l: { id: string }) => l.id)).toEqual([id]);
    const edited = await api.call('PATCH', `/api/v1/leads/${id}`, {
      token,
      body: { status: 'qualified' },
      headers: { 'if-match': made.headers.get('etag')! },
    });
    expect(edited.status).toBe(200);
    const found = await api.call('GET', '/api/v1/search?q=pooled', { token });
    expect(found.status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/leads/${id}`, { token })).status).toBe(204);
    expectError(await api.call('GET', `/api/v1/leads/${id}`, { token }), 404);
  });

  it('keeps organizations apart through the API', async () => {
    const ada = await api.signup('bouncer-ada');
    const bob = await api.signup('bouncer-bob');
    const adas = await api.call('POST', '/api/v1/leads', { token: ada.token, body: { firstName: 'Ada only' } });
    await api.call('POST', '/api/v1/leads', { token: bob.token, body: { firstName: 'Bob only' } });
    expectError(await api.call('GET', `/api/v1/leads/${adas.data.id}`, { token: bob.token }), 404);
    const bobs = await api.call('GET', '/api/v1/leads', { token: bob.token });
    expect(bobs.data.data.map((l: { firstName: string }) => l.firstName)).toEqual(['Bob only']);
  });

  it('scopes every concurrent tenant transaction to its organization, and leaves no setting behind', async () => {
    const { shards } = stack.regions.us!.ctx;
    const orgs = await Promise.all([api.signup('bouncer-c1'), api.signup('bouncer-c2'), api.signup('bouncer-c3')]);
    for (const org of orgs) {
      await api.call('POST', '/api/v1/leads', { token: org.token, body: { firstName: `Of ${org.organization.id}` } });
    }
    // Many more transactions than PgBouncer has server connections, interleaved across organizations.
    const seen = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const org = orgs[i % orgs.length]!;
        return shards.withTenant(org.organization.id, async (tx) => {
          const result = await tx.execute(sql`SELECT current_setting('app.organization_id') AS id`);
          const setting = (result as unknown as { rows: { id: string }[] }).rows[0];
          const rows = await tx.select({ organizationId: leads.organizationId }).from(leads);
          return { org: org.organization.id, setting: setting?.id, owners: new Set(rows.map((r) => r.organizationId)) };
        });
      }),
    );
    for (const { org, setting, owners } of seen) {
      expect(setting).toBe(org);
      expect([...owners]).toEqual([org]);
    }
    // Outside a transaction, whichever server connection answers carries no organization.
    for (const db of SHARDS) {
      const pool = new pg.Pool({ connectionString: bouncer.appUrl(db), max: 4 });
      try {
        const answers = await Promise.all(
          Array.from({ length: 8 }, () => pool.query("SELECT current_setting('app.organization_id', true) AS id")),
        );
        for (const { rows } of answers) expect(rows[0]?.id ?? '').toBe('');
        // And row-level security shows nothing to a transaction that set none.
        const { rows } = await pool.query('SELECT count(*)::int AS n FROM leads');
        expect(rows[0]?.n).toBe(0);
      } finally {
        await pool.end();
      }
    }
  });

  it('(control) a session-level setting would leak to the next client of the same server connection', async () => {
    const first = new pg.Client({ connectionString: bouncer.appUrl('crm_bouncer_single') });
    const second = new pg.Client({ connectionString: bouncer.appUrl('crm_bouncer_single') });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query("SELECT set_config('app.organization_id', '00000000-0000-0000-0000-000000000001', false)");
      const { rows } = await second.query("SELECT current_setting('app.organization_id', true) AS id");
      expect(rows[0]?.id).toBe('00000000-0000-0000-0000-000000000001');
      await second.query('RESET app.organization_id');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
  });
});
