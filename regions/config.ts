import { join } from 'node:path';
import { type LockoutPolicy, lockoutPolicyFromEnv } from './auth/lockout.ts';
import type { SignupConfirmation } from './auth/signup-confirmation.ts';
import { type FilesConfig, filesConfigFromEnv } from './storage/config.ts';
import { secretsKeyFileOf } from './support/secret-keys.ts';

export type RegionConfig = {
  region: string;
  shardUrls: string[];
  /** `SHARD_REPLICA_URLS`: each shard's streaming replica, by position ('' for none); GET requests read there. */
  shardReplicaUrls?: string[];
  /** `pglite:<folder>` or `postgres://…` to own the directory, or a peer region's `http://…` URL to use its. */
  directoryUrl: string;
  sharedSecret: string;
  /** `SIGNING_KEYS`: a JSON array of private JWKs, the first signs and all are published (rotation). */
  signingKeys?: string;
  signingKey?: string;
  signingKeyFile?: string;
  /** `SECRETS_KEYS` (id:key,… current first), else a key file in the data folder (regions/support/secret-keys.ts). */
  secretsKeys?: string;
  secretsKeyFile?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  poolSize: number;
  /** File storage and upload limits; `$DATA_DIR/<region>/files` and the defaults when absent. */
  files?: FilesConfig;
  /** Which background workers run in this process: `all` (default), `none` or names (workers/registry.ts). */
  workers?: string;
  /** Failed sign-in delays (`LOGIN_LOCKOUT_*`); regions/auth/lockout.ts's defaults when absent. */
  loginLockout?: LockoutPolicy;
  /** `SIGNUP_CONFIRMATION`: `none` (default) signs up at once, `email` by an emailed link (regions/auth). */
  signupConfirmation?: SignupConfirmation;
};

const MAX_ACCESS_TTL = 24 * 3600;

function seconds(value: string | undefined, fallback: number, max: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > max) throw new Error(`${name} must be a whole number of seconds, 1–${max}`);
  return n;
}

/** Reads a region's settings from the environment; every variable is listed in the README. */
export function regionConfigFromEnv(env: NodeJS.ProcessEnv): RegionConfig {
  const region = env.REGION;
  if (!region || !/^[a-z][a-z0-9-]{1,15}$/.test(region)) throw new Error('REGION must be a name such as us, eu or ap');
  const dataDir = env.DATA_DIR ?? 'data';
  const shardUrls = (
    env.SHARD_URLS ?? `pglite:${join(dataDir, region, 'shard-0')},pglite:${join(dataDir, region, 'shard-1')}`
  )
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const shardReplicaUrls = replicaUrlsFromEnv(env.SHARD_REPLICA_URLS, shardUrls.length);
  const sharedSecret = env.EDGE_SHARED_SECRET ?? '';
  if (sharedSecret.length < 32) throw new Error('EDGE_SHARED_SECRET must be set to at least 32 characters');
  return {
    region,
    shardUrls,
    shardReplicaUrls,
    directoryUrl: env.DIRECTORY_URL ?? `pglite:${join(dataDir, 'directory')}`,
    sharedSecret,
    signingKeys: env.SIGNING_KEYS || undefined,
    signingKey: env.SIGNING_KEY || undefined,
    signingKeyFile: env.SIGNING_KEY_FILE ?? join(dataDir, region, 'signing-key.json'),
    secretsKeys: env.SECRETS_KEYS || undefined,
    secretsKeyFile: secretsKeyFileOf(env),
    accessTokenTtlSeconds: seconds(env.ACCESS_TOKEN_TTL, 900, MAX_ACCESS_TTL, 'ACCESS_TOKEN_TTL'),
    refreshTokenTtlSeconds: seconds(env.REFRESH_TOKEN_TTL, 7 * 24 * 3600, 7 * 24 * 3600, 'REFRESH_TOKEN_TTL'),
    poolSize: Number(env.DB_POOL_SIZE ?? 10),
    files: filesConfigFromEnv(env, dataDir, region),
    workers: env.WORKERS,
    loginLockout: lockoutPolicyFromEnv(env),
    signupConfirmation: signupConfirmationFromEnv(env.SIGNUP_CONFIRMATION),
  };
}

/**
 * `SIGNUP_CONFIRMATION`: `none` (the default, for a laptop without a mail server) answers a sign-up with the new
 * session at once, and with `email_taken` for a registered email, which tells anyone that it is registered; `email`
 * (what deploy/ sets) answers every sign-up the same and finishes it by an emailed link.
 */
export function signupConfirmationFromEnv(value: string | undefined): SignupConfirmation {
  if (value === undefined || value === '' || value === 'none') return 'none';
  if (value === 'email') return 'email';
  throw new Error('SIGNUP_CONFIRMATION must be none or email');
}

/**
 * `SHARD_REPLICA_URLS=postgres://…replica-of-0,postgres://…replica-of-1`: one entry per shard, in SHARD_URLS' order;
 * an empty entry (`,postgres://…`) leaves that shard without one. Replicas are PostgreSQL hot standbys.
 */
function replicaUrlsFromEnv(value: string | undefined, shards: number): string[] | undefined {
  if (!value?.trim()) return undefined;
  const urls = value.split(',').map((s) => s.trim());
  if (urls.length > shards) throw new Error(`SHARD_REPLICA_URLS names ${urls.length} replicas for ${shards} shards`);
  for (const url of urls) {
    if (url && !/^(neon:)?postgres(ql)?:\/\//.test(url)) {
      throw new Error('SHARD_REPLICA_URLS entries must be postgres:// (or neon:postgres://) URLs of hot standbys');
    }
  }
  return urls;
}
