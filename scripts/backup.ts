import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { markSearchOperatorsLeakproof, setupDatabases } from './db-setup.ts';

/**
 * `npm run backup -- dump <dir>` and `npm run backup -- restore <dir>` (docs/operations.md): a custom-format
 * pg_dump of the directory and of every shard of the configured regions, with a manifest (shard ids, the shard map's
 * version, sizes, SHA-256 checksums), and its restore with pg_restore into empty databases, the role and its grants
 * set up again first. The dumps are taken as PG_ADMIN_URL's role: row-level security hides every row from the
 * application's own role outside a tenant transaction, so only a superuser (or a BYPASSRLS role) sees them all.
 */

export const MANIFEST = 'manifest.json';
const FORMAT = 'crm-backup/1';

export type BackupPlan = {
  /** A superuser URL (PG_ADMIN_URL): its user and password are used on every database's server. */
  adminUrl: string;
  /** postgres:// URLs as the application connects (user crm_app), which name each database and its server. */
  directoryUrl: string;
  regions: { region: string; shardUrls: string[] }[];
};

export type DumpEntry = {
  /** `directory`, or the shard's id as the region names it (`<region>-<index>`). */
  id: string;
  database: string;
  /** host:port, without credentials. */
  server: string;
  file: string;
  bytes: number;
  sha256: string;
};

export type Manifest = {
  format: typeof FORMAT;
  createdAt: string;
  pgDump: string;
  serverVersion: string;
  /** The role owning the databases and everything in them (crm_app); the restore targets must connect as it. */
  role: string;
  directory: DumpEntry;
  regions: { region: string; shardMapVersion: number; shardMapShardIds: string[]; shards: DumpEntry[] }[];
};

const postgresUrl = (url: string, what: string): URL => {
  const plain = url.startsWith('neon:') ? url.slice('neon:'.length) : url;
  if (!/^postgres(ql)?:\/\//.test(plain)) {
    throw new Error(
      `${what} is ${plain.split(':')[0]}:…, not a PostgreSQL server: pg_dump needs one (an embedded PGlite folder is backed up by copying it with its region stopped)`,
    );
  }
  return new URL(plain);
};

/** The configured databases, from the variables `npm start` reads (README, "Configuration"). */
export function planFromEnv(env: NodeJS.ProcessEnv): BackupPlan {
  const regions = (env.REGION_NAMES ?? 'us,eu,ap')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const directoryUrl = env.DIRECTORY_URL;
  if (!directoryUrl) throw new Error('DIRECTORY_URL must name the directory database (postgres://…)');
  return {
    adminUrl: env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    directoryUrl,
    regions: regions.map((region) => {
      const variable = `SHARD_URLS_${region.toUpperCase().replace(/-/g, '_')}`;
      const shardUrls = (env[variable] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (shardUrls.length === 0) throw new Error(`${variable} must list region ${region}'s shards (postgres://…)`);
      return { region, shardUrls };
    }),
  };
}

type Target = { id: string; region: string | null; app: URL; admin: URL; database: string; server: string };

/** Each database with the admin's credentials on its own server (the app URL's host, port and options). */
function targetsOf(plan: BackupPlan): Target[] {
  const adminCredentials = new URL(plan.adminUrl);
  const target = (id: string, region: string | null, url: string, what: string): Target => {
    const app = postgresUrl(url, what);
    const admin = new URL(app);
    admin.username = adminCredentials.username;
    admin.password = adminCredentials.password;
    return { id, region, app, admin, database: decodeURIComponent(app.pathname.slice(1)), server: app.host };
  };
  return [
    target('directory', null, plan.directoryUrl, 'DIRECTORY_URL'),
    ...plan.regions.flatMap(({ region, shardUrls }) =>
      shardUrls.map((url, i) => target(`${region}-${i}`, region, url, `shard ${region}-${i}`)),
    ),
  ];
}

/** A libpq URI without its password, which goes in PGPASSWORD instead of a command line anyone may read. */
function clientArgs(url: URL): { uri: string; env: NodeJS.ProcessEnv } {
  const uri = new URL(url);
  const password = decodeURIComponent(uri.password);
  uri.password = '';
  return { uri: uri.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('error', (error) =>
      fail(new Error(`${command}: ${error.message} (is the PostgreSQL client installed?)`)),
    );
    child.once('exit', (code, signal) =>
      code === 0 ? done() : fail(new Error(`${command} failed (${signal ?? code}): ${errors.trim()}`)),
    );
  });
}

async function query<T>(url: URL, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

function sha256Of(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .once('error', fail)
      .once('end', () => done(hash.digest('hex')));
  });
}

const toolVersion = (tool: string) => {
  const result = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} is not installed: the PostgreSQL client tools are needed`);
  return result.stdout.trim();
};

/** Dumps every configured database into `dir` (new or empty) and writes the manifest last. */
export async function dump(plan: BackupPlan, dir: string): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new Error(`${dir} is not empty: dump into a new folder`);
  const pgDump = toolVersion('pg_dump');
  const targets = targetsOf(plan);
  const entries: DumpEntry[] = [];
  let role = '';
  let serverVersion = '';
  const maps = new Map<string, { version: number; shardIds: string[] }>();
  for (const target of targets) {
    const [facts] = await query<{ owner: string; version: string }>(
      target.admin,
      "SELECT pg_get_userbyid(datdba) AS owner, current_setting('server_version') AS version FROM pg_database WHERE datname = current_database()",
    );
    if (role && facts!.owner !== role) {
      throw new Error(`${target.id} is owned by ${facts!.owner}, the others by ${role}: one application role owns all`);
    }
    role = facts!.owner;
    serverVersion ||= facts!.version;
    if (target.region && !maps.has(target.region)) {
      // The shard map lives on the region's first (catalog) shard.
      const [map] = await query<{ version: number; shard_ids: string[] }>(
        target.admin,
        'SELECT version, shard_ids FROM shard_maps WHERE region = $1 ORDER BY version DESC LIMIT 1',
        [target.region],
      );
      if (!map) throw new Error(`${target.id} holds no shard map for region ${target.region}: has the region run?`);
      maps.set(target.region, { version: map.version, shardIds: map.shard_ids });
    }
    const file = `${target.id}.dump`;
    const { uri, env } = clientArgs(target.admin);
    await run('pg_dump', ['--format=custom', '--no-password', `--file=${join(dir, file)}`, `--dbname=${uri}`], env);
    const bytes = (await stat(join(dir, file))).size;
    entries.push({
      id: target.id,
      database: target.database,
      server: target.server,
      file,
      bytes,
      sha256: await sha256Of(join(dir, file)),
    });
    console.log(`dumped ${target.id} (${target.database} on ${target.server}): ${bytes} bytes`);
  }
  const manifest: Manifest = {
    format: FORMAT,
    createdAt: new Date().toISOString(),
    pgDump,
    serverVersion,
    role,
    directory: entries[0]!,
    regions: plan.regions.map(({ region }) => ({
      region,
      shardMapVersion: maps.get(region)!.version,
      shardMapShardIds: maps.get(region)!.shardIds,
      shards: entries.filter((_, i) => targets[i]!.region === region),
    })),
  };
  // Written last and renamed into place: a folder with a manifest is a finished backup.
  await writeFile(join(dir, `${MANIFEST}.tmp`), `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(join(dir, `${MANIFEST}.tmp`), join(dir, MANIFEST));
  return manifest;
}

export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new Error(`${path} is missing: not a finished backup`);
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  if (manifest.format !== FORMAT) throw new Error(`${path}: unknown format ${String(manifest.format)}`);
  return manifest;
}

/** Every dump file is there with the size and checksum the manifest gives; nothing is restored otherwise. */
export async function verify(manifest: Manifest, dir: string): Promise<void> {
  for (const entry of [manifest.directory, ...manifest.regions.flatMap((r) => r.shards)]) {
    const path = join(dir, entry.file);
    if (!existsSync(path)) throw new Error(`${entry.file} is missing`);
    const bytes = (await stat(path)).size;
    if (bytes !== entry.bytes) throw new Error(`${entry.file} has ${bytes} bytes, the manifest says ${entry.bytes}`);
    if ((await sha256Of(path)) !== entry.sha256) throw new Error(`${entry.file} does not match its SHA-256 checksum`);
  }
}

/** Which dump goes into which configured database: the same regions, each with as many shards, in order. */
function pairUp(manifest: Manifest, plan: BackupPlan): { target: Target; entry: DumpEntry }[] {
  const targets = targetsOf(plan);
  const planned = plan.regions.map((r) => `${r.region}×${r.shardUrls.length}`).join(', ');
  const dumped = manifest.regions.map((r) => `${r.region}×${r.shards.length}`).join(', ');
  if (planned !== dumped) throw new Error(`the backup holds ${dumped} shards, the configuration names ${planned}`);
  const entries = [manifest.directory, ...manifest.regions.flatMap((r) => r.shards)];
  return targets.map((target, i) => ({ target, entry: entries[i]! }));
}

const userTables = `
  SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')`;

/**
 * Restores a verified backup into the configured databases, which must be empty or absent: first the role and the
 * databases as `npm run db:setup` makes them (role crm_app, no superuser, no BYPASSRLS, owning its databases; the
 * search and duplicate match operators `@@`, `<%` and `%` LEAKPROOF), then each dump in one transaction, then the
 * LEAKPROOF marks again (a dump does not carry attributes of functions it does not own) and fresh planner statistics.
 */
export async function restore(plan: BackupPlan, dir: string): Promise<Manifest> {
  const manifest = await readManifest(dir);
  toolVersion('pg_restore');
  await verify(manifest, dir);
  const pairs = pairUp(manifest, plan);
  for (const { target } of pairs) {
    const user = decodeURIComponent(target.app.username);
    if (user !== manifest.role) {
      throw new Error(
        `${target.id} connects as ${user || '(no user)'}, but the dumped objects belong to ${manifest.role}`,
      );
    }
    const maintenance = new URL(target.admin);
    maintenance.pathname = new URL(plan.adminUrl).pathname;
    await setupDatabases({
      adminUrl: maintenance.toString(),
      role: user,
      password: decodeURIComponent(target.app.password),
      databases: [target.database],
    });
    const [{ n }] = (await query<{ n: number }>(target.admin, userTables)) as [{ n: number }];
    if (n > 0)
      throw new Error(
        `${target.database} on ${target.server} is not empty (${n} relations): restore into empty databases`,
      );
  }
  for (const { target, entry } of pairs) {
    const { uri, env } = clientArgs(target.admin);
    await run(
      'pg_restore',
      ['--single-transaction', '--exit-on-error', '--no-password', `--dbname=${uri}`, join(dir, entry.file)],
      env,
    );
    await markSearchOperatorsLeakproof(target.admin.toString());
    await query(target.admin, 'ANALYZE');
    console.log(`restored ${entry.id} into ${target.database} on ${target.server}`);
  }
  for (const region of manifest.regions) {
    const first = pairs.find((p) => p.target.id === `${region.region}-0`)!.target;
    const [map] = await query<{ version: number }>(
      first.admin,
      'SELECT max(version) AS version FROM shard_maps WHERE region = $1',
      [region.region],
    );
    if (map?.version !== region.shardMapVersion) {
      throw new Error(
        `region ${region.region}: shard map v${map?.version} after restore, v${region.shardMapVersion} dumped`,
      );
    }
  }
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, dir] = process.argv.slice(2);
  if ((command !== 'dump' && command !== 'restore') || !dir) {
    console.error('usage: npm run backup -- dump <dir>   |   npm run backup -- restore <dir>   (docs/operations.md)');
    process.exit(2);
  }
  try {
    const plan = planFromEnv(process.env);
    const manifest = command === 'dump' ? await dump(plan, dir) : await restore(plan, dir);
    const shards = manifest.regions.reduce((n, r) => n + r.shards.length, 0);
    console.log(`${command === 'dump' ? 'dumped' : 'restored'} the directory and ${shards} shards (${dir})`);
  } catch (error) {
    console.error(`backup ${command} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
