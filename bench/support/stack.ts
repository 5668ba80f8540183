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
    },
    log,
  );
  const servers: Server[] = [];
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
    return {
      edgeUrl: edgeServer.url,
      ...(cachedServer ? { cachedEdgeUrl: cachedServer.url } : {}),
      region,
      async stop() {
        await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
        await region.close();
        rmSync(filesRoot, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    await region.close();
    rmSync(filesRoot, { recursive: true, force: true });
    throw error;
  }
}
