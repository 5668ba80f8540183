import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import pino from 'pino';
import { createEdgeApp } from '../../edge/app.ts';
import { nodeFetch } from '../../edge/node-fetch.ts';
import { openRegion } from '../../regions/region.ts';
import { defaultFilesConfig } from '../../regions/storage/config.ts';

type Region = Awaited<ReturnType<typeof openRegion>>;
type Server = ReturnType<typeof serve>;

export const BENCH_REGION = 'us';
const SECRET = `bench-shared-secret-${'0123456789abcdef'.repeat(3)}`;

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
}

export type BenchStack = {
  edgeUrl: string;
  /** A second edge in front of the same region with its read cache on (cachedEdge), as deployments run it. */
  cachedEdgeUrl?: string;
  region: Region;
  stop(): Promise<void>;
};

/**
 * One region (its shards and directory) and the edge in front of it, in this process, over real HTTP on loopback:
 * requests take the path a user's do (edge auth and signing, region validation, RLS-scoped transactions). The
 * edge's read cache is off, so every report request is computed; rate limits are out of the way.
 */
export async function startBenchStack(options: {
  directoryUrl: string;
  shardUrls: string[];
  /** Largest CSV upload the edge and region accept (a million-row file is larger than the 25 MiB default). */
  uploadBytes?: number;
  /** Also start an edge whose read cache keeps answers this many seconds (the cache hits' case). */
  cachedEdgeSeconds?: number;
  /**
   * Run the background workers (relay, event consumers, jobs) in a process of their own, as deploy/ runs them
   * (`WORKERS=none` on the region), instead of inside this one: the API's figures then measure the request path,
   * not the request path sharing its event loop with every consumer of the events it writes.
   */
  workersApart?: boolean;
}): Promise<BenchStack> {
  // The hourly retention job must not wake up in the middle of a measurement.
  process.env.RETENTION_INTERVAL_MINUTES = '0';
  const log = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });
  const filesRoot = mkdtempSync(join(tmpdir(), 'crm-bench-files-'));
  const files = defaultFilesConfig(filesRoot, BENCH_REGION);
  if (options.uploadBytes) files.importMaxBytes = Math.max(files.importMaxBytes, options.uploadBytes);
  const region = await openRegion(
    {
      region: BENCH_REGION,
      shardUrls: options.shardUrls,
      directoryUrl: options.directoryUrl,
      sharedSecret: SECRET,
      accessTokenTtlSeconds: 24 * 3600,
      refreshTokenTtlSeconds: 7 * 24 * 3600,
      poolSize: Number(process.env.DB_POOL_SIZE ?? 10),
      files,
      ...(options.workersApart ? { workers: 'none' } : {}),
    },
    log,
  );
  const servers: Server[] = [];
  let workers: ChildProcess | undefined;
  const stopWorkers = async () => {
    if (!workers || workers.exitCode !== null) return;
    const exited = once(workers, 'exit');
    workers.kill('SIGINT');
    await exited;
  };
  try {
    const regionServer = await listen(region.app.fetch);
    servers.push(regionServer.server);
    const edgeWith = (cacheTtlSeconds: number) =>
      createEdgeApp({
        regions: { [BENCH_REGION]: regionServer.url },
        defaultRegion: BENCH_REGION,
        sharedSecret: SECRET,
        rateLimit: { perOrganization: 10_000_000, perIp: 10_000_000, windowSeconds: 60 },
        cacheTtlSeconds,
        ...(options.uploadBytes ? { maxUploadBytes: Math.max(options.uploadBytes, 32 * 1024 * 1024) } : {}),
        clientIp: (c) => getConnInfo(c).remote.address,
        // As edge/node.ts runs it: Node's own fetch would hold a streamed upload's every chunk until it ends.
        fetch: nodeFetch,
      });
    const edgeServer = await listen(edgeWith(0).fetch);
    servers.push(edgeServer.server);
    const cachedServer = options.cachedEdgeSeconds ? await listen(edgeWith(options.cachedEdgeSeconds).fetch) : null;
    if (cachedServer) servers.push(cachedServer.server);
    if (options.workersApart) workers = await startWorkerProcess(options.shardUrls);
    return {
      edgeUrl: edgeServer.url,
      ...(cachedServer ? { cachedEdgeUrl: cachedServer.url } : {}),
      region,
      async stop() {
        await stopWorkers();
        await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
        await region.close();
        rmSync(filesRoot, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopWorkers();
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    await region.close();
    rmSync(filesRoot, { recursive: true, force: true });
    throw error;
  }
}

/** `npm run worker -- all` for the bench region's shards; resolves once it says its workers run. */
async function startWorkerProcess(shardUrls: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts', 'all'], {
    env: { ...process.env, REGION: BENCH_REGION, SHARD_URLS: shardUrls.join(','), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the worker process exited (${code}) before it started: ${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('running in region')) resolve();
    });
  });
  child.removeAllListeners('exit');
  child.stdout!.removeAllListeners('data');
  child.stdout!.resume();
  return child;
}
