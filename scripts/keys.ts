/**
 * Key and secret rotation (docs/security.md, "Rotating keys"):
 *
 *   npm run keys -- rotate            a new ES256 signing key first in each region's key file (it signs after the
 *                                     region restarts; the old ones stay published, so their tokens still verify)
 *   npm run keys -- rotate --publish-only, then promote
 *                                     the same in two steps, for regions of several processes: all publish the new
 *                                     key before any signs with it
 *   npm run keys -- retire [--force]  drops every signing key but the first, once the access-token TTL has passed
 *                                     since the rotation (--force: now)
 *   npm run keys -- rotate-secrets    a new AES-256 secrets key first in the secrets key file (the old ones still open)
 *   npm run keys -- reseal            re-seals every plain or stale secret on every shard with the current key
 *   npm run keys -- retire-secrets    drops every secrets key but the first (after a reseal with no failures)
 *
 * Regions: `REGION`, else `REGION_NAMES` (us,eu,ap). Files: `SIGNING_KEY_FILE` (one region only) or
 * `$DATA_DIR/<region>/signing-key.json`; `SECRETS_KEY_FILE` or `$DATA_DIR/secrets-key`. With `SIGNING_KEYS` or
 * `SECRETS_KEYS` set (keys kept in a secret store), nothing is written: the new value to store is printed.
 * Shards for reseal: `SHARD_URLS` (with `REGION`), `SHARD_URLS_<REGION>`, else the region's PGlite folders, which
 * only one process can open: stop `npm start` first, or run reseal where the shards are PostgreSQL.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { ShardSet } from '../db/shard-set.ts';
import { newSigningKey, parseSigningKeys, readKeyFile, type SigningKey, writeKeyFile } from '../regions/auth/tokens.ts';
import { resealSecrets } from '../regions/support/reseal.ts';
import { newSecretKey, parseSecretKeys } from '../regions/support/secret-box.ts';
import { secretBoxFromEnv, secretsKeyFileOf } from '../regions/support/secret-keys.ts';

type Env = NodeJS.ProcessEnv;
type Out = (line: string) => void;

export class KeysError extends Error {}

export function regionsOf(env: Env): string[] {
  const names = env.REGION ?? env.REGION_NAMES ?? 'us,eu,ap';
  return names
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function signingKeyFile(env: Env, region: string, regions: string[]): string {
  if (env.SIGNING_KEY_FILE) {
    if (regions.length > 1) throw new KeysError('SIGNING_KEY_FILE names one region’s file: set REGION as well');
    return env.SIGNING_KEY_FILE;
  }
  return join(env.DATA_DIR ?? 'data', region, 'signing-key.json');
}

const accessTtlSeconds = (env: Env) => Number(env.ACCESS_TOKEN_TTL || 900);

/**
 * Applies `change` to each region's key list: `SIGNING_KEYS` (the new value printed), else each key file.
 * `change` answers the new list and what to say, or null to leave it.
 */
async function changeSigningKeys(
  env: Env,
  out: Out,
  change: (keys: SigningKey[], where: string) => Promise<{ keys: SigningKey[]; said: string } | null>,
): Promise<void> {
  if (env.SIGNING_KEYS) {
    const changed = await change(parseSigningKeys(env.SIGNING_KEYS, 'SIGNING_KEYS'), 'SIGNING_KEYS');
    if (!changed) return;
    out(`Store this as SIGNING_KEYS and restart the region (${changed.said}):`);
    out(JSON.stringify(changed.keys));
    return;
  }
  const regions = regionsOf(env);
  for (const region of regions) {
    const file = signingKeyFile(env, region, regions);
    if (!existsSync(file)) {
      out(`${region}: no key file at ${file} (the region makes one on first start); skipped`);
      continue;
    }
    const changed = await change(readKeyFile(file), region);
    if (!changed) continue;
    writeKeyFile(file, changed.keys);
    out(`${region}: ${file} holds ${changed.keys.length} keys; restart the region (${changed.said})`);
  }
}

/**
 * A new signing key first; the old ones stay, published, until `retire`. With `publishOnly` it goes second:
 * published but not signing, for regions of several processes, which must all publish it before any signs
 * (`promote` then moves it first).
 */
export function rotateSigningKeys(env: Env, out: Out, now = Date.now(), publishOnly = false): Promise<void> {
  return changeSigningKeys(env, out, async (keys) => {
    const key = await newSigningKey(now);
    return publishOnly
      ? { keys: [keys[0]!, key, ...keys.slice(1)], said: 'the new key is published, not signing, until promote' }
      : { keys: [key, ...keys], said: 'the new key signs, the old ones stay published until retire' };
  });
}

/** The newest published key becomes the signing one; its `added_at` becomes now, which `retire` waits from. */
export function promoteSigningKey(env: Env, out: Out, now = Date.now()): Promise<void> {
  return changeSigningKeys(env, out, async (keys, where) => {
    const [signing, ...published] = keys;
    const newest = published.reduce<SigningKey | null>(
      (a, b) => (!a || (b.added_at ?? 0) > (a.added_at ?? 0) ? b : a),
      null,
    );
    if (!newest || (newest.added_at ?? 0) < (signing!.added_at ?? 0)) {
      out(`${where}: the newest key signs already`);
      return null;
    }
    const promoted = { ...newest, added_at: Math.floor(now / 1000) };
    return { keys: [promoted, ...keys.filter((k) => k !== newest)], said: 'the newest key signs now' };
  });
}

/** Keeps the signing key only, once every token of the older keys has expired. */
export function retireSigningKeys(env: Env, out: Out, options: { force?: boolean; now?: number } = {}): void {
  const now = options.now ?? Date.now();
  const retire = (keys: SigningKey[], where: string): SigningKey[] | null => {
    if (keys.length === 1) {
      out(`${where}: one key only, nothing to retire`);
      return null;
    }
    const safeAt = ((keys[0]!.added_at ?? 0) + accessTtlSeconds(env)) * 1000;
    if (!options.force && now < safeAt) {
      throw new KeysError(
        `${where}: tokens signed by the old keys may be valid until ${new Date(safeAt).toISOString()} (ACCESS_TOKEN_TTL after the rotation); retire then, or use --force`,
      );
    }
    return keys.slice(0, 1);
  };
  if (env.SIGNING_KEYS) {
    const kept = retire(parseSigningKeys(env.SIGNING_KEYS, 'SIGNING_KEYS'), 'SIGNING_KEYS');
    if (kept) {
      out('Store this as SIGNING_KEYS and restart the region:');
      out(JSON.stringify(kept));
    }
    return;
  }
  const regions = regionsOf(env);
  for (const region of regions) {
    const file = signingKeyFile(env, region, regions);
    if (!existsSync(file)) continue;
    const kept = retire(readKeyFile(file), region);
    if (!kept) continue;
    writeKeyFile(file, kept);
    out(`${region}: old keys dropped from ${file}; restart the region to stop publishing them`);
  }
}

function readSecretsKeys(env: Env): { text: string; file: string | null } {
  if (env.SECRETS_KEYS) return { text: env.SECRETS_KEYS, file: null };
  const file = secretsKeyFileOf(env);
  if (!existsSync(file)) throw new KeysError(`no secrets key file at ${file} (a region makes one on first start)`);
  return { text: readFileSync(file, 'utf8').trim(), file };
}

function writeSecretsKeys(file: string, text: string): void {
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, `${text}\n`, { mode: 0o600 });
  renameSync(next, file);
}

/** A new secrets key first: it seals from the next start, and every older key still opens. */
export function rotateSecretsKey(env: Env, out: Out, now = Date.now()): void {
  const { text, file } = readSecretsKeys(env);
  const ids = new Set(parseSecretKeys(text).map((k) => k.id));
  let id = `k${now.toString(36)}`;
  while (ids.has(id)) id = `${id}x`;
  const keys = `${newSecretKey(id)},${text}`;
  if (!file) {
    out('Store this as SECRETS_KEYS (the new key first), restart every region and worker, then run reseal:');
    out(keys);
    return;
  }
  writeSecretsKeys(file, keys);
  out(`${file}: new key ${id} first; restart the regions and workers, then run reseal`);
}

export function retireSecretsKeys(env: Env, out: Out): void {
  const { text, file } = readSecretsKeys(env);
  const [first, ...older] = text.split(',').map((s) => s.trim());
  if (older.length === 0) {
    out('one secrets key only, nothing to retire');
    return;
  }
  if (!file) {
    out('Store this as SECRETS_KEYS and restart every region and worker:');
    out(first!);
    return;
  }
  writeSecretsKeys(file, first!);
  out(`${file}: older keys dropped; restart the regions and workers`);
}

function shardUrlsOf(env: Env, region: string): string[] {
  const named = env[`SHARD_URLS_${region.toUpperCase().replace(/-/g, '_')}`];
  const dataDir = env.DATA_DIR ?? 'data';
  const urls =
    (env.REGION === region ? env.SHARD_URLS : undefined) ??
    named ??
    `pglite:${join(dataDir, region, 'shard-0')},pglite:${join(dataDir, region, 'shard-1')}`;
  return urls
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Re-seals every region's secrets with the current key; false when some organization failed. */
export async function resealAll(env: Env, out: Out): Promise<boolean> {
  const secrets = await secretBoxFromEnv(env).catch((error: Error) => {
    throw new KeysError(error.message);
  });
  const log = pino({ level: env.LOG_LEVEL ?? 'warn' });
  let clean = true;
  for (const region of regionsOf(env)) {
    const urls = shardUrlsOf(env, region);
    const shards = await ShardSet.open(
      region,
      urls.map((url, i) => ({ id: `${region}-${i}`, url })),
      2,
    );
    try {
      const result = await resealSecrets({ region, shards, secrets, log });
      out(
        `${region}: ${result.organizations} organizations, ${result.webhookSecrets} webhook, ${result.totpSecrets} TOTP and ${result.workflowSecrets} workflow secrets re-sealed, ${result.failures} failed`,
      );
      if (result.failures > 0) clean = false;
    } finally {
      await shards.close();
    }
  }
  return clean;
}

export async function runKeys(argv: string[], env: Env, out: Out): Promise<number> {
  const [command, ...flags] = argv;
  switch (command) {
    case 'rotate':
      await rotateSigningKeys(env, out, Date.now(), flags.includes('--publish-only'));
      return 0;
    case 'promote':
      await promoteSigningKey(env, out);
      return 0;
    case 'retire':
      retireSigningKeys(env, out, { force: flags.includes('--force') });
      return 0;
    case 'rotate-secrets':
      rotateSecretsKey(env, out);
      return 0;
    case 'retire-secrets':
      retireSecretsKeys(env, out);
      return 0;
    case 'reseal':
      return (await resealAll(env, out)) ? 0 : 1;
    default:
      out(
        'usage: npm run keys -- rotate [--publish-only] | promote | retire [--force] | rotate-secrets | reseal | retire-secrets',
      );
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runKeys(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Refusals (a key file missing, retire too early) read best as their sentence; others keep their stack.
      console.error(error instanceof KeysError ? error.message : error);
      process.exit(1);
    },
  );
}
