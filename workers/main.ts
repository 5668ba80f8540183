import { serve } from '@hono/node-server';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ShardSet } from '../db/shard-set.ts';
import { createLogger } from '../regions/ops/log.ts';
import { registerDbQueryDuration } from '../regions/ops/metrics.ts';
import { startBackground } from './runtime.ts';

/**
 * One or more workers in their own process, so ops can scale them apart from the region:
 * `npm run worker -- relay dispatch` with the region's REGION and SHARD_URLS (and EVENT_BUS …) in the environment.
 * Embedded PGlite shards belong to the region process that opened them, so a separate worker needs PostgreSQL.
 */
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const log = createLogger();
const region = process.env.REGION ?? '';
const shardUrls = (process.env.SHARD_URLS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
if (names.length === 0) fail('usage: npm run worker -- <name...>   (e.g. relay, dispatch; see README "Workers")');
if (!/^[a-z][a-z0-9-]{1,15}$/.test(region)) fail('REGION must name the region whose shards the worker serves');
if (shardUrls.length === 0 || shardUrls.some((url) => url.startsWith('pglite:'))) {
  fail(
    "SHARD_URLS must list the region's PostgreSQL shards (embedded PGlite shards are served by the region process, which runs every worker itself)",
  );
}

const metrics = new Registry();
metrics.setDefaultLabels({ region, process: 'worker' });
collectDefaultMetrics({ register: metrics });
const shards = await ShardSet.open(
  region,
  shardUrls.map((url, i) => ({ id: `${region}-${i}`, url })),
  Number(process.env.DB_POOL_SIZE ?? 4),
  registerDbQueryDuration(metrics),
);
const background = await startBackground({
  region,
  shards,
  log: log.child({ region }),
  env: process.env,
  selection: names.join(','),
  metrics,
});
const metricsPort = process.env.METRICS_PORT;
const server = metricsPort
  ? serve({
      port: Number(metricsPort),
      hostname: process.env.HOST ?? '127.0.0.1',
      fetch: async (request) =>
        new URL(request.url).pathname === '/metrics'
          ? new Response(await metrics.metrics(), { headers: { 'content-type': metrics.contentType } })
          : new Response('ok'),
    })
  : undefined;
// Tests and supervisors wait for this line.
console.log(`workers ${background.names.join(',')} running in region ${region}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping workers');
  server?.close();
  await background.stop();
  await shards.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
