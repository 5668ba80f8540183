import type { Logger } from 'pino';
import type { Directory } from '../db/directory/store.ts';
import type { ShardSet } from '../db/shard-set.ts';
import type { LivePrincipals } from './auth/live-principal.ts';
import type { TokenIssuer } from './auth/tokens.ts';
import type { EventBus } from './events/bus.ts';
import type { JobQueues } from './jobs/queue.ts';
import type { RegionMetrics } from './ops/metrics.ts';
import type { SearchBackend } from './search/query.ts';
import type { FileStorage } from './storage/port.ts';

/** What every region handler and service may use: its shards, the directory, keys and telemetry. */
export type RegionContext = {
  region: string;
  shards: ShardSet;
  directory: Directory;
  /** A directory this process owns (answers /internal/directory for the others), if any. */
  directoryConnection?: import('../db/database.ts').Connection;
  tokens: TokenIssuer;
  /** Seals secrets kept at rest (webhook, TOTP, SSO) with AES-256-GCM; see regions/support/secret-box.ts. */
  secrets: import('./support/secret-box.ts').SecretBox;
  /** Growing delays after failed sign-ins, per email and per client network, kept in the directory. */
  loginLockout: import('./auth/lockout.ts').LoginLockout;
  /** Current roles and live sessions of token holders, re-read every few seconds. */
  principals: LivePrincipals;
  /** Key for the HMAC that edge → region and region → region calls carry. */
  signingSecret: CryptoKey;
  /** Where searches go: PostgreSQL full text (Typesense adapter: regions/search/typesense.ts). */
  search: SearchBackend;
  metrics: RegionMetrics;
  /** Where the relay publishes the outbox (regions/events). */
  bus: EventBus;
  /** pg-boss on every shard: `jobs.send(tx, …)` enqueues inside the write's own transaction. */
  jobs: JobQueues;
  log: Logger;
  /** Where files live (attachments, imported CSVs, import error reports): a folder or an S3 bucket. */
  storage: FileStorage;
  /** Largest attachment and largest CSV import, in bytes. */
  uploadLimits: { attachmentBytes: number; importBytes: number };
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** How a sign-up finishes: at once (`none`, the default) or by an emailed link (`email`); see regions/config.ts. */
  signupConfirmation?: import('./auth/signup-confirmation.ts').SignupConfirmation;
};
