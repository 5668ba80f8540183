import { serve } from '@hono/node-server';
import { regionConfigFromEnv } from './config.ts';
import { openRegion } from './region.ts';

/** One region's data plane as its own Node process: `REGION=eu PORT=8802 tsx regions/server.ts`. */
const config = regionConfigFromEnv(process.env);
const region = await openRegion(config);
const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';

const server = serve({ fetch: region.app.fetch, port, hostname: host }, (info) => {
  // The start script reads this line to learn the port (PORT=0 picks a free one).
  console.log(`region ${config.region} http://${host}:${info.port}`);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  region.ctx.log.info({ signal }, 'stopping');
  server.close();
  await region.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
