import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import pino from 'pino';
import { createEdgeApp, type EdgeOptions } from '../../edge/app.ts';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../../regions/auth/lockout.ts';
import { openRegion } from '../../regions/region.ts';
import { defaultFilesConfig } from '../../regions/storage/config.ts';
import { directoryUrl, realPostgres, shardUrls, TEST_REGIONS } from './databases.ts';

export const TEST_SECRET = 'test-shared-secret-0123456789abcdef0123456789';
/** The tests' secrets key (AES-256, base64url): fixed, so a value one stack seals another opens. */
export const TEST_SECRETS_KEYS = 'test:dGVzdC1zZWNyZXRzLWtleS0wMTIzNDU2Nzg5YWJjZGU';

/**
 * Every suite signs in from 127.0.0.1 against one directory, which on real PostgreSQL outlives the run: the
 * per-network rule would add up every suite's deliberate failures and lock them all out. Suites of the rule itself
 * (test/security/login-lockout.test.ts) pass their own policy and client addresses.
 */
export const TEST_LOGIN_LOCKOUT: LockoutPolicy = {
  ...DEFAULT_LOCKOUT_POLICY,
  ip: { ...DEFAULT_LOCKOUT_POLICY.ip, threshold: 1_000_000 },
};

type Region = Awaited<ReturnType<typeof openRegion>>;
type Server = ReturnType<typeof serve>;

export type TestStack = {
  edgeUrl: string;
  regionUrls: Record<string, string>;
  regions: Record<string, Region>;
  stop(): Promise<void>;
};

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
}

/**
 * Regions and an edge in this process, talking over real HTTP on loopback: the first region keeps the directory
 * (or all use the real PostgreSQL one). Generous rate limits unless a suite asks otherwise.
 */
export async function startTestStack(
  options: {
    regions?: readonly string[];
    edge?: Partial<EdgeOptions>;
    /** Region → private ES256 JWK (JSON), for suites that must sign tokens the region's way but with other claims. */
    signingKeys?: Record<string, string>;
    /** Background workers in each region (workers/registry.ts); none unless a suite exercises them. */
    workers?: string;
    /** Region → shard URLs of the suite's own (`privateShards`), instead of the shared test shards. */
    shards?: Partial<Record<string, string[]>>;
    /** Region → each shard's streaming replica URL (test/support/pg-cluster.ts), by position. */
    replicas?: Partial<Record<string, string[]>>;
    /** Failed sign-in delays; by default the account rule as deployed and no network rule (see below). */
    loginLockout?: LockoutPolicy;
    /** How sign-ups finish in every region (`SIGNUP_CONFIRMATION`); `none`, at once, unless a suite asks. */
    signupConfirmation?: import('../../regions/auth/signup-confirmation.ts').SignupConfirmation;
    /** The regions' logger (default: silent unless TEST_LOG_LEVEL); a suite reading the log lines passes its own. */
    log?: import('pino').Logger;
  } = {},
): Promise<TestStack> {
  const names = options.regions ?? TEST_REGIONS;
  const log = options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const regions: Record<string, Region> = {};
  const regionUrls: Record<string, string> = {};
  const servers: Server[] = [];
  // Each stack keeps its files in its own temporary folder, removed when it stops.
  const filesRoot = mkdtempSync(join(tmpdir(), 'crm-test-files-'));
  for (const [i, region] of names.entries()) {
    const opened = await openRegion(
      {
        region,
        shardUrls: options.shards?.[region] ?? shardUrls(region),
        shardReplicaUrls: options.replicas?.[region],
        directoryUrl: realPostgres || i === 0 ? directoryUrl() : regionUrls[names[0]!]!,
        sharedSecret: TEST_SECRET,
        signingKey: options.signingKeys?.[region],
        // Shared by every stack (a key file would be made in the stack's own folder; one key keeps them alike).
        secretsKeys: TEST_SECRETS_KEYS,
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 7 * 24 * 3600,
        poolSize: 4,
        files: defaultFilesConfig(filesRoot, region),
        workers: options.workers ?? 'none',
        loginLockout: options.loginLockout ?? TEST_LOGIN_LOCKOUT,
        signupConfirmation: options.signupConfirmation,
      },
      log,
    );
    const { server, url } = await listen(opened.app.fetch);
    regions[region] = opened;
    regionUrls[region] = url;
    servers.push(server);
  }
  const edge = createEdgeApp({
    regions: regionUrls,
    defaultRegion: names[0]!,
    sharedSecret: TEST_SECRET,
    rateLimit: { perOrganization: 100_000, perIp: 100_000, windowSeconds: 60 },
    clientIp: (c) => getConnInfo(c).remote.address,
    ...options.edge,
  });
  const { server, url: edgeUrl } = await listen(edge.fetch);
  servers.push(server);
  return {
    edgeUrl,
    regionUrls,
    regions,
    async stop() {
      await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
      await Promise.all(Object.values(regions).map((r) => r.close()));
      rmSync(filesRoot, { recursive: true, force: true });
    },
  };
}
