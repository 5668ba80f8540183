import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 server binaries (the CI machine's, with the main cluster on 5432). */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

const asRoot = process.getuid?.() === 0;
/**
 * Whether a suite may start clusters of its own: the binaries are there and it runs as root (switching to the
 * `postgres` user, since the server refuses root) or as `postgres` itself.
 */
export const canStartClusters = existsSync(join(PG_BIN, 'initdb')) && (asRoot || userInfo().username === 'postgres');

export type Cluster = {
  port: number;
  /** The superuser's URL of a database here (trust authentication, loopback only). */
  adminUrl(database?: string): string;
  /** The application role's URL (`crm_app`, made by scripts/db-setup.ts). */
  appUrl(database: string): string;
  /** Stops it (fast shutdown, or immediate) and removes its folder. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Its server log, for a failing test's message. */
  log: string;
};

/** Runs a PostgreSQL binary as the `postgres` user. */
export async function asPostgres(binary: string, args: string[], timeoutMs = 120_000) {
  const command = join(PG_BIN, binary);
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return run(file, argv, { timeout: timeoutMs, cwd: tmpdir() });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A folder the `postgres` user owns (created as root, handed over). */
export function postgresFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(folder, uid, gid);
  }
  return folder;
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds() {
  if (ids) return ids;
  // `id` is the ordinary way to resolve a user name here; Node has no getpwnam.
  const out = execFileSync('id', ['postgres'], { encoding: 'utf8' });
  const uid = Number(/uid=(\d+)/.exec(out)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(out)?.[1]);
  ids = { uid, gid };
  return ids;
}

function cluster(folder: string, data: string, port: number): Cluster {
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const log = join(folder, `${port}.log`);
  let stopped = false;
  return {
    port,
    log,
    adminUrl: (database = 'postgres') => `${base}/${database}`,
    appUrl: (database) => `postgres://crm_app:crm_app@127.0.0.1:${port}/${database}`,
    async stop(mode = 'fast') {
      if (stopped) return;
      stopped = true;
      await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']).catch(() => {});
      rmSync(data, { recursive: true, force: true });
    },
  };
}

async function start(folder: string, data: string, port: number): Promise<Cluster> {
  const started = cluster(folder, data, port);
  await asPostgres('pg_ctl', ['-D', data, '-l', started.log, '-w', '-t', '90', 'start']);
  return started;
}

/**
 * A throwaway primary on a free port, in a temporary folder: streaming replication allowed from loopback (initdb's
 * default pg_hba.conf trusts it), durability off for speed. The main cluster is left alone.
 */
export async function startPrimary(folder = postgresFolder('crm-pg-')): Promise<Cluster> {
  const port = await freePort();
  const data = join(folder, 'primary');
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  appendFileSync(
    join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${folder}'`,
      'wal_level = replica',
      'max_wal_senders = 4',
      'hot_standby = on',
      'fsync = off',
      'full_page_writes = off',
      'shared_buffers = 32MB',
      'max_connections = 60',
      '',
    ].join('\n'),
  );
  return start(folder, data, port);
}

/** A hot standby of `primary` (pg_basebackup -R, streaming), on its own free port in the same folder. */
export async function startReplica(primary: Cluster, folder: string): Promise<Cluster> {
  const port = await freePort();
  const data = join(folder, `replica-${port}`);
  if (asRoot) {
    mkdirSync(data, { mode: 0o700 });
    const { uid, gid } = postgresIds();
    chownSync(data, uid, gid);
  }
  await asPostgres('pg_basebackup', [
    ...['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
    ...['-D', data, '-R', '-X', 'stream', '-c', 'fast'],
  ]);
  // The copied postgresql.conf names the primary's port; a later line wins.
  appendFileSync(join(data, 'postgresql.conf'), `port = ${port}\n`);
  return start(folder, data, port);
}
