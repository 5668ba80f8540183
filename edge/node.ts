import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createEdgeApp } from './app.ts';
import { edgeOptionsFromEnv } from './config.ts';
import { nodeFetch } from './node-fetch.ts';
import { RedisStore } from './store/redis.ts';
import { storeFromBindings } from './store/select.ts';

/** The edge on Node (what `npm start` runs): `REGIONS=… EDGE_SHARED_SECRET=… PORT=8787 tsx edge/node.ts`. */
const options = edgeOptionsFromEnv(process.env);
// EDGE_STORE_URL=redis://… (or Upstash's REST settings) shares rate limits and the read cache across edge
// processes; default is memory.
const storeUrl = process.env.EDGE_STORE_URL;
const app = createEdgeApp({
  ...options,
  store: storeUrl ? new RedisStore(storeUrl) : storeFromBindings(process.env),
  clientIp: (c) => getConnInfo(c).remote.address,
  // Streams uploads to the regions without holding them (Node's own fetch keeps a streamed body's chunks).
  fetch: nodeFetch,
  onError: (error) => console.error(JSON.stringify({ level: 'error', msg: 'edge error', err: String(error) })),
});
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`edge http://${host}:${info.port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
