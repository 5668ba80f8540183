import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './pg-cluster.ts';

const run = promisify(execFile);

/** Debian's pgbouncer (`apt-get install pgbouncer`; .ci/run installs it). */
export const PGBOUNCER = '/usr/sbin/pgbouncer';
export const hasPgBouncer = existsSync(PGBOUNCER);

export type PgBouncer = {
  port: number;
  /** The application role's URL of a database PgBouncer serves. */
  appUrl(database: string): string;
  stop(): Promise<void>;
};

/**
 * Starts PgBouncer in transaction pooling in front of a PostgreSQL on `serverPort`, with the settings
 * docs/operations.md ("PgBouncer") supports, as the `postgres` user (it refuses root), daemonised with a pid file in
 * `folder` (which that user owns). `databases` maps each name clients use to the server database and, optionally,
 * its own pool size.
 */
export async function startPgBouncer(
  folder: string,
  serverPort: number,
  databases: Record<string, { dbname: string; poolSize?: number }>,
): Promise<PgBouncer> {
  const port = await freePort();
  const ini = join(folder, 'pgbouncer.ini');
  const pidfile = join(folder, 'pgbouncer.pid');
  writeFileSync(join(folder, 'userlist.txt'), '"crm_app" "crm_app"\n');
  writeFileSync(
    ini,
    [
      '[databases]',
      ...Object.entries(databases).map(
        ([name, { dbname, poolSize }]) =>
          `${name} = host=127.0.0.1 port=${serverPort} dbname=${dbname}${poolSize ? ` pool_size=${poolSize}` : ''}`,
      ),
      '',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(folder, 'userlist.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 4',
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(folder, 'pgbouncer.log')}`,
      `pidfile = ${pidfile}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', PGBOUNCER, '-d', ini]] : [PGBOUNCER, ['-d', ini]];
  await run(file, argv, { timeout: 30_000 });
  for (let i = 0; i < 100 && !existsSync(pidfile); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  await listening(port);
  return {
    port,
    appUrl: (database) => `postgres://crm_app:crm_app@127.0.0.1:${port}/${database}`,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

async function listening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`pgbouncer did not listen on ${port}`);
}
