import pino from 'pino';
import type { Connection } from '../db/database.ts';
import { type Directory, directoryMigrations, SqlDirectory } from '../db/directory/store.ts';
import { openConnection } from '../db/drivers/open.ts';
import { ShardSet } from '../db/shard-set.ts';
import { importSigningSecret } from '../edge/protocol/signature.ts';
import { startBackground } from '../workers/runtime.ts';
import { createRegionApp } from './app.ts';
import { createLivePrincipals } from './auth/live-principal.ts';
import { loadTokenIssuer } from './auth/tokens.ts';
import type { RegionConfig } from './config.ts';
import type { RegionContext } from './context.ts';
import { resumeImports } from './imports/resume.ts';
import { runImport } from './imports/run.ts';
import { createInProcessImportRunner } from './imports/runner.ts';
import { HttpDirectory } from './internal/http-directory.ts';
import { createRegionMetrics } from './ops/metrics.ts';
import { retentionIntervalMinutes } from './retention/cutoff.ts';
import { scheduleRetention } from './retention/run.ts';
import type { SearchBackend } from './search/query.ts';
import { selectSearch } from './search/select.ts';
import { defaultFilesConfig, openStorage } from './storage/config.ts';

/** Opens everything a region owns (shards migrated, directory, keys) and builds its app. */
export async function openRegion(config: RegionConfig, log = pino({ level: process.env.LOG_LEVEL ?? 'info' })) {
  // Read before anything opens, so a bad value fails fast without leaving connections behind.
  const retentionMinutes = retentionIntervalMinutes(process.env.RETENTION_INTERVAL_MINUTES);
  const signingSecret = await importSigningSecret(config.sharedSecret);
  const shards = await ShardSet.open(
    config.region,
    config.shardUrls.map((url, i) => ({ id: `${config.region}-${i}`, url })),
    config.poolSize,
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
  const tokens = await loadTokenIssuer(config.region, { jwk: config.signingKey, file: config.signingKeyFile });
  const files = config.files ?? defaultFilesConfig(process.env.DATA_DIR ?? 'data', config.region);
  const regionLog = log.child({ region: config.region });
  const imports = createInProcessImportRunner(
    (job, signal) => runImport(ctx, job, signal),
    (err, job) => regionLog.error({ err, ...job }, 'import run failed'),
  );
  const metrics = createRegionMetrics(config.region, () => shards);
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
    principals: createLivePrincipals(shards),
    signingSecret,
    search,
    metrics,
    bus: background.bus,
    jobs: background.jobs,
    log: regionLog,
    storage: openStorage(files.storage),
    uploadLimits: { attachmentBytes: files.attachmentMaxBytes, importBytes: files.importMaxBytes },
    imports,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
  };
  const app = createRegionApp(ctx);
  // Hourly by default; a later watchlist scheduler takes the job over.
  const stopRetention = scheduleRetention(ctx, retentionMinutes);
  // Imports this region left unfinished when it last stopped resume in the background, after their last batch.
  const importResumer = resumeImports(ctx);
  return {
    app,
    ctx,
    importResumer,
    async close() {
      stopRetention();
      await importResumer.stop();
      // Imports stop after their current batch; each batch commits with its counters, so a later start resumes.
      await imports.stop();
      await background.stop();
      await shards.close();
      await directoryConnection?.close();
    },
  };
}
