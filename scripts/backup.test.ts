import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeApp } from '../edge/app.ts';
import { regionConfigFromEnv } from '../regions/config.ts';
import { openRegion } from '../regions/region.ts';
import { apiClient } from '../test/support/api.ts';
import { privateShards, realPostgres } from '../test/support/databases.ts';
import { TEST_SECRET, TEST_SECRETS_KEYS } from '../test/support/stack.ts';
import { type Manifest, planFromEnv, verify } from './backup.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'crm-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the backup configuration and manifest checks (any database)', () => {
  it('reads the regions and databases `npm start` reads, and refuses what pg_dump cannot dump', () => {
    const env = {
      REGION_NAMES: 'us,eu',
      SHARD_URLS_US: 'postgres://crm_app:pw@db1/crm_us_0,postgres://crm_app:pw@db1/crm_us_1',
      SHARD_URLS_EU: 'neon:postgres://crm_app:pw@db2/crm_eu_0',
      DIRECTORY_URL: 'postgres://crm_app:pw@db0/crm_directory',
      PG_ADMIN_URL: 'postgres://postgres:secret@db0/postgres',
    };
    expect(planFromEnv(env).regions).toEqual([
      { region: 'us', shardUrls: env.SHARD_URLS_US.split(',') },
      { region: 'eu', shardUrls: [env.SHARD_URLS_EU] },
    ]);
    expect(() => planFromEnv({ ...env, SHARD_URLS_EU: '' })).toThrow(/SHARD_URLS_EU must list/);
    expect(() => planFromEnv({ ...env, DIRECTORY_URL: undefined })).toThrow(/DIRECTORY_URL/);
  });

  it('refuses a dump whose size or checksum is not the manifest’s', async () => {
    const dir = mkdtempSync(join(scratch, 'verify-'));
    writeFileSync(join(dir, 'directory.dump'), 'directory bytes');
    const entry = {
      id: 'directory',
      database: 'crm_directory',
      server: 'db:5432',
      file: 'directory.dump',
      bytes: 15,
      sha256: 'e7bc0f0dea81a6e2f4d4c83d4e9c43d1b7c5b1e8b8a2e0b4c4f7f0b8f1d2a3c4',
    };
    const manifest = { directory: entry, regions: [] } as unknown as Manifest;
    await expect(verify(manifest, dir)).rejects.toThrow(/SHA-256/);
    await expect(verify({ ...manifest, directory: { ...entry, bytes: 3 } }, dir)).rejects.toThrow(/15 bytes/);
    const { createHash } = await import('node:crypto');
    const sha256 = createHash('sha256').update('directory bytes').digest('hex');
    await expect(verify({ ...manifest, directory: { ...entry, sha256 } }, dir)).resolves.toBeUndefined();
  });
});

/**
 * The whole round trip on real PostgreSQL, on databases of its own: data made through the API, dumped with the CLI,
 * the databases dropped, restored with the CLI, and read back through the API as crm_app. Skipped on PGlite:
 * pg_dump and pg_restore need a PostgreSQL server.
 */
describe.skipIf(!realPostgres)(
  'npm run backup on real PostgreSQL: dump, drop, restore, read back',
  { timeout: 300_000 },
  () => {
    const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const dataDir = join(scratch, 'data');
    const dumpDir = join(scratch, 'backup');
    const urls: Record<string, string[]> = {};
    let directory = '';
    let env: NodeJS.ProcessEnv = {};
    const databases = () =>
      [directory, ...Object.values(urls).flat()].filter(Boolean).map((u) => new URL(u).pathname.slice(1));

    /** The regions and an edge as processes would run them, configured from the environment they would read. */
    async function openStack() {
      const log = pino({ level: 'silent' });
      const servers: ReturnType<typeof serve>[] = [];
      const listen = (fetch: (r: Request) => Response | Promise<Response>) =>
        new Promise<string>((done) => {
          const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
            done(`http://127.0.0.1:${info.port}`),
          );
          servers.push(server);
        });
      const regions = await Promise.all(
        Object.entries(urls).map(async ([region, shardUrls]) => {
          const config = regionConfigFromEnv({
            REGION: region,
            SHARD_URLS: shardUrls.join(','),
            DIRECTORY_URL: directory,
            EDGE_SHARED_SECRET: TEST_SECRET,
            SECRETS_KEYS: TEST_SECRETS_KEYS,
            DATA_DIR: dataDir,
            WORKERS: 'none',
            DB_POOL_SIZE: '2',
          });
          const opened = await openRegion(config, log);
          return { region, opened, url: await listen(opened.app.fetch) };
        }),
      );
      const edge = createEdgeApp({
        regions: Object.fromEntries(regions.map((r) => [r.region, r.url])),
        defaultRegion: 'us',
        sharedSecret: TEST_SECRET,
        rateLimit: { perOrganization: 100_000, perIp: 100_000, windowSeconds: 60 },
      });
      const api = apiClient(await listen(edge.fetch));
      return {
        api,
        async stop() {
          await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
          await Promise.all(regions.map((r) => r.opened.close()));
        },
      };
    }

    const backup = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', ...args], {
        cwd: root,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 300_000,
      });

    async function admin<T>(database: string, text: string): Promise<T[]> {
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(text)).rows as T[];
      } finally {
        await client.end();
      }
    }

    type Org = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
    let orgUs: Org;
    let orgEu: Org;
    const leadsBefore: Record<string, { id: string; firstName: string; lastName: string; email: string }[]> = {};

    beforeAll(async () => {
      // One after another: each alters the crm_app role, and PostgreSQL refuses two such changes at once.
      urls.us = await privateShards('backup_us');
      urls.eu = await privateShards('backup_eu');
      [directory] = (await privateShards('backup_directory', 1)) as [string];
      env = {
        REGION_NAMES: 'us,eu',
        SHARD_URLS_US: urls.us!.join(','),
        SHARD_URLS_EU: urls.eu!.join(','),
        DIRECTORY_URL: directory,
        PG_ADMIN_URL: adminUrl,
      };
      const stack = await openStack();
      try {
        orgUs = await stack.api.signup('backup-us', { region: 'us' });
        orgEu = await stack.api.signup('backup-eu', { region: 'eu' });
        for (const [org, names] of [
          [orgUs, ['Ada', 'Grace', 'Edsger']],
          [orgEu, ['Alan', 'Barbara']],
        ] as const) {
          for (const firstName of names) {
            const made = await stack.api.call('POST', '/api/v1/leads', {
              token: org.token,
              body: {
                firstName,
                lastName: 'Backup',
                email: `${firstName.toLowerCase()}@backup.example`,
                source: 'backup',
              },
            });
            expect(made.status, JSON.stringify(made.data)).toBe(201);
          }
          const listed = await stack.api.call('GET', '/api/v1/leads?limit=50', { token: org.token });
          expect(listed.data.data.map((l: { firstName: string }) => l.firstName).sort()).toEqual([...names].sort());
          leadsBefore[org.organization.id] = listed.data.data;
        }
      } finally {
        await stack.stop();
      }
    });

    afterAll(async () => {
      for (const database of databases()) await admin('postgres', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });

    it('dumps the directory and every shard with a manifest of shard ids, map versions, sizes and checksums', () => {
      const dumped = backup('dump', dumpDir);
      expect(dumped.status, dumped.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dumpDir, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest.role).toBe('crm_app');
      expect(manifest.directory.database).toBe(databases()[0]);
      expect(manifest.regions.map((r) => [r.region, r.shardMapVersion, r.shardMapShardIds])).toEqual([
        ['us', 1, ['us-0', 'us-1']],
        ['eu', 1, ['eu-0', 'eu-1']],
      ]);
      expect(manifest.regions.flatMap((r) => r.shards.map((s) => s.id))).toEqual(['us-0', 'us-1', 'eu-0', 'eu-1']);
      for (const entry of [manifest.directory, ...manifest.regions.flatMap((r) => r.shards)]) {
        const bytes = readFileSync(join(dumpDir, entry.file));
        expect(bytes.subarray(0, 5).toString()).toBe('PGDMP'); // pg_dump's custom format
        expect(entry.bytes).toBe(bytes.byteLength);
      }
      // A second dump into the same folder would mix two backups.
      expect(backup('dump', dumpDir).status).toBe(1);
    });

    it('restores nothing from a corrupted backup', async () => {
      for (const database of databases()) await admin('postgres', `DROP DATABASE "${database}" WITH (FORCE)`);
      const corrupted = join(scratch, 'corrupted');
      cpSync(dumpDir, corrupted, { recursive: true });
      const file = join(corrupted, 'us-1.dump');
      const bytes = readFileSync(file);
      bytes.writeUInt8(bytes.readUInt8(bytes.byteLength - 1) ^ 0xff, bytes.byteLength - 1);
      writeFileSync(file, bytes);
      const refused = backup('restore', corrupted);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('us-1.dump does not match its SHA-256 checksum');
      const present = await admin<{ datname: string }>('postgres', 'SELECT datname FROM pg_database');
      expect(present.map((d) => d.datname).filter((d) => databases().includes(d))).toEqual([]);
    });

    it('restores into empty databases, and refuses databases that are not', () => {
      const restored = backup('restore', dumpDir);
      expect(restored.status, restored.stderr).toBe(0);
      expect(restored.stdout).toContain('restored the directory and 4 shards');
      const again = backup('restore', dumpDir);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/is not empty/);
    });

    it('brings back the role as it was: no superuser, no BYPASSRLS, RLS forced, match operators LEAKPROOF', async () => {
      const [role] = await admin<{ rolsuper: boolean; rolbypassrls: boolean }>(
        'postgres',
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'crm_app'",
      );
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
      for (const database of databases().slice(1)) {
        const [leads] = await admin<{ relrowsecurity: boolean; relforcerowsecurity: boolean; owner: string }>(
          database,
          "SELECT relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'leads'",
        );
        expect(leads).toEqual({ relrowsecurity: true, relforcerowsecurity: true, owner: 'crm_app' });
        const leakproof = await admin<{ proname: string }>(
          database,
          "SELECT proname FROM pg_proc WHERE proname IN ('ts_match_vq', 'word_similarity_op', 'similarity_op') AND proleakproof ORDER BY 1",
        );
        expect(leakproof.map((p) => p.proname)).toEqual(['similarity_op', 'ts_match_vq', 'word_similarity_op']);
      }
    });

    it('serves the same rows through the API afterwards, each organization only its own', async () => {
      // As the application connects: without a tenant in the transaction RLS shows no lead at all.
      for (const url of Object.values(urls).flat()) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        expect((await client.query('SELECT count(*)::int AS n FROM leads')).rows[0].n).toBe(0);
        await client.end();
      }
      const stack = await openStack();
      try {
        for (const org of [orgUs, orgEu]) {
          const login = await stack.api.call('POST', '/api/v1/auth/login', {
            body: { email: org.user.email, password: org.password },
          });
          expect(login.status, JSON.stringify(login.data)).toBe(200);
          const listed = await stack.api.call('GET', '/api/v1/leads?limit=50', { token: login.data.accessToken });
          expect(listed.status).toBe(200);
          expect(listed.data.data).toEqual(leadsBefore[org.organization.id]);
        }
        const foreign = leadsBefore[orgUs.organization.id]![0]!;
        const login = await stack.api.call('POST', '/api/v1/auth/login', {
          body: { email: orgEu.user.email, password: orgEu.password },
        });
        const peek = await stack.api.call('GET', `/api/v1/leads/${foreign.id}`, { token: login.data.accessToken });
        expect(peek.status).toBe(404);
      } finally {
        await stack.stop();
      }
    });
  },
);
