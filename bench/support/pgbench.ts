import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { summarize } from './stats.ts';

const run = promisify(execFile);

/** Where the pgbench binary is, if this machine has one. */
export async function findPgbench(): Promise<string | null> {
  try {
    const { stdout } = await run('which', ['pgbench']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * pgbench clients (one unless `clients`) running a custom script `transactions` times each, or for `seconds`,
 * with `-l` so every transaction's latency is logged: the PostgreSQL project's own load tool as the floor nothing
 * in Node can go under.
 */
export async function runPgbench(options: {
  binary: string;
  url: string;
  script: string;
  transactions?: number;
  seconds?: number;
  clients?: number;
  variables: Record<string, string>;
  workDir: string;
}) {
  const url = new URL(options.url);
  const clients = options.clients ?? 1;
  const scriptPath = join(options.workDir, 'pgbench-script.sql');
  writeFileSync(scriptPath, options.script);
  const prefix = join(options.workDir, 'pgbench-log');
  const args = [
    '-n', // no VACUUM of pgbench's own tables, which do not exist here
    '-M',
    'extended', // variables go as bound parameters, as the app's queries do
    '-c',
    String(clients),
    '-j',
    String(Math.min(clients, 2)),
    ...(options.seconds ? ['-T', String(options.seconds)] : ['-t', String(options.transactions ?? 1)]),
    '-f',
    scriptPath,
    '-l',
    `--log-prefix=${prefix}`,
    ...Object.entries(options.variables).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
    url.pathname.slice(1),
  ];
  const env = {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
  };
  const { stdout } = await run(options.binary, args, { env, maxBuffer: 16 * 1024 * 1024 });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench said no tps:\n${stdout}`);
  // Log lines: client_id transaction_no latency_us script_no epoch_s epoch_us.
  // One log file per thread (-j): prefix.pid, prefix.pid.1, …
  const latencies = readdirSync(options.workDir)
    .filter((f) => f.startsWith('pgbench-log'))
    .flatMap((f) =>
      readFileSync(join(options.workDir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => Number(line.split(' ')[2]) / 1000),
    );
  return { tps, latency: summarize(latencies, (latencies.length / tps) * 1000) };
}
