import type { Connection } from '../db/database.ts';
import { SqlLoginThrottle } from '../db/directory/login-throttle.ts';
import { type Directory, directoryMigrations, SqlDirectory } from '../db/directory/store.ts';
import { openConnection } from '../db/drivers/open.ts';
import { ShardSet } from '../db/shard-set.ts';
import { importSigningSecret } from '../edge/protocol/signature.ts';
import { startBackground } from '../workers/runtime.ts';
import { createRegionApp } from './app.ts';
import { createLivePrincipals } from './auth/live-principal.ts';
import { createLoginLockout } from './auth/lockout.ts';
import { loadTokenIssuer } from './auth/tokens.ts';
import type { RegionConfig } from './config.ts';
import type { RegionContext } from './context.ts';
import { HttpDirectory } from './internal/http-directory.ts';
import { HttpLoginThrottle } from './internal/login-throttle.ts';
import { createLogger } from './ops/log.ts';
import { createRegionMetrics } from './ops/metrics.ts';
import { flushRegionTracing, startRegionTracing } from './ops/tracing.ts';
import type { SearchBackend } from './search/query.ts';
import { selectSearch } from './search/select.ts';
import { defaultFilesConfig, openStorage } from './storage/config.ts';
import { openSecretBox, secretsKeyFileOf } from './support/secret-keys.ts';

/** Opens everything a region owns (shards migrated, directory, keys) and builds its app. */
export async function openRegion(config: RegionConfig, log = createLogger()) {
  const signingSecret = await importSigningSecret(config.sharedSecret);
  // Before the shards open, so their queries are traced from the first request (off without an OTLP endpoint).
  startRegionTracing(process.env);
  // Made before the shards, which report each query's duration to it; it reads the shards only when scraped.
  const metrics = createRegionMetrics(
    config.region,
    () => shards,
    () => directoryConnection,
  );
  const shards = await ShardSet.open(
    config.region,
    config.shardUrls.map((url, i) => ({
      id: `${config.region}-${i}`,
      url,
      replicaUrl: config.shardReplicaUrls?.[i] || undefined,
    })),
    config.poolSize,
    metrics.onQuery,
  );
  let directoryConnection: Connection | undefined;
  let directory: Directory;
  try {
    if (/^https?:\/\//.test(config.directoryUrl)) {
      directory = new HttpDirectory(config.directoryUrl, signingSecret);
    } else {
      directoryConnection = await openConnection('directory', config.directoryUrl, config.poolSize);
      await directoryConnection.migrate(directoryMigrations);
      directory = new SqlDirectory(directoryConnection);
    }
  } catch (error) {
    await shards.close();
    throw error;
  }
  // Counted where the directory is, so every region sees one count per email and network (regions/auth/lockout.ts).
  const loginLockout = createLoginLockout({
    store: directoryConnection
      ? new SqlLoginThrottle(directoryConnection)
      : new HttpLoginThrottle(config.directoryUrl, signingSecret),
    ownsStore: directoryConnection !== undefined,
    policy: config.loginLockout,
  });
  const tokens = await loadTokenIssuer(config.region, {
    keys: config.signingKeys,
    jwk: config.signingKey,
    file: config.signingKeyFile,
  });
  const secrets = await openSecretBox({
    keys: config.secretsKeys,
    file: config.secretsKeyFile ?? secretsKeyFileOf(process.env),
  });
  const files = config.files ?? defaultFilesConfig(process.env.DATA_DIR ?? 'data', config.region);
  const regionLog = log.child({ region: config.region });
  // Opened before the workers, which share it: the batch worker reads uploaded CSVs and writes error reports.
  const storage = openStorage(files.storage);
  let background: Awaited<ReturnType<typeof startBackground>>;
  let search: SearchBackend;
  try {
    search = selectSearch(process.env, shards);
    background = await startBackground({
      region: config.region,
      shards,
      log: regionLog,
      env: process.env,
      selection: config.workers ?? process.env.WORKERS,
      metrics: metrics.registry,
      storage,
      secrets,
    });
  } catch (error) {
    await shards.close();
    await directoryConnection?.close();
    throw error;
  }
  const ctx: RegionContext = {
    region: config.region,
    shards,
    directory,
    directoryConnection,
    tokens,
    secrets,
    loginLockout,
    principals: createLivePrincipals(shards),
    signingSecret,
    search,
    metrics,
    bus: background.bus,
    jobs: background.jobs,
    log: regionLog,
    storage,
    uploadLimits: { attachmentBytes: files.attachmentMaxBytes, importBytes: files.importMaxBytes },
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    signupConfirmation: config.signupConfirmation ?? 'none',
  };
  const app = createRegionApp(ctx);
  return {
    app,
    ctx,
    async close() {
      // The batch worker stops imports after their current batch and queues them again (workers/batch).
      await background.stop();
      await shards.close();
      await directoryConnection?.close();
      await flushRegionTracing().catch(() => {});
    },
  };
}
