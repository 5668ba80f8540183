import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import type { Backend, Query, RawDb } from './database.ts';

/**
 * A bare Hono hello-world on Node, served the way the edge is (`@hono/node-server` in this process): what an
 * HTTP answer costs with no work behind it, so edge overhead = edge ÷ this.
 */
export async function startHelloWorld(): Promise<{
  url: string;
  /** What `GET /page` answers (as JSON): set it to the bytes the scenario it is compared with sends. */
  setPage(body: string): void;
  stop(): Promise<void>;
}> {
  const app = new Hono();
  let page = '{}';
  app.get('/', (c) => c.text('Hello Hono!'));
  app.get('/page', (c) => c.body(page, 200, { 'content-type': 'application/json' }));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        setPage: (body) => {
          page = body;
        },
        stop: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}

export type TenantRunner = {
  /** BEGIN, the tenant setting, work, COMMIT, on a connection of its own while `connections` run at once. */
  inTenant<T>(organizationId: string, work: (query: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/**
 * The data path's floor: plain `pg` connections as the application role (RLS binds them), as many as the load
 * has, no ORM, no HTTP. On PGlite there is one in-process connection, which the raw handle already is.
 */
export async function tenantRunner(
  backend: Backend,
  raw: RawDb,
  shardUrl: string,
  connections: number,
): Promise<TenantRunner> {
  if (backend.kind === 'pglite') return { inTenant: (org, work) => raw.inTenant(org, work), close: async () => {} };
  const pool = new pg.Pool({ connectionString: shardUrl, max: connections });
  return {
    async inTenant(organizationId, work) {
      const client = await pool.connect();
      const query: Query = async (text, values) => (await client.query(text, values)).rows;
      try {
        await client.query('BEGIN');
        await client.query("SELECT set_config('app.organization_id', $1, true)", [organizationId]);
        const result = await work(query);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * pgbench's single-row insert: one lead per transaction under the tenant setting, as a POST writes its row. Its
 * names and company share no trigram with the POST case's ("Load Test <n>" at "Bench Inc."): 14,000 rows of
 * "Load Test <random>" at "Bench Inc." made every later POST's duplicate count sift them (30 ms each).
 */
export const pgbenchSingleInsert = `\\set base random(1, 1000000000)
BEGIN;
SELECT set_config('app.organization_id', :org, true);
INSERT INTO leads (organization_id, id, first_name, last_name, email, company, source, status, score, score_reasons, created_by)
VALUES (CAST(:org AS uuid),
  (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(:base || ':' || random()), 1, 20))::uuid,
  'Pgbench', 'Row ' || :base, 'pgbench.' || :base || '.' || (random() * 1e9)::bigint || '@bench.example', 'Baseline Ltd',
  'web_form', 'new', 40, '[{"points":10,"reason":"Has an email"}]'::jsonb, CAST(:creator AS uuid));
COMMIT;
`;
