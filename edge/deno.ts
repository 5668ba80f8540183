import { createEdgeApp } from './app.ts';
import { edgeOptionsFromEnv } from './config.ts';
import { storeFromBindings } from './store/select.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): unknown;
};

/** Deno entry: `deno run --allow-net --allow-env --allow-read edge/deno.ts` (see deno.json). */
const env = Deno.env.toObject();
const addresses = new WeakMap<Request, string>();
const app = createEdgeApp({
  ...edgeOptionsFromEnv(env),
  // Upstash (REST over fetch) when its settings are set; else memory.
  store: storeFromBindings(env),
  clientIp: (c) => addresses.get(c.req.raw),
  // Without this a 500 leaves no trace in the process output (the client only sees the envelope).
  onError: (error) => console.error(JSON.stringify({ level: 'error', msg: 'edge error', err: String(error) })),
});
Deno.serve(
  {
    port: Number(env.PORT ?? 8787),
    hostname: env.HOST ?? '127.0.0.1',
    onListen: ({ hostname, port }) => console.log(`edge http://${hostname}:${port}`),
  },
  (request, info) => {
    addresses.set(request, info.remoteAddr.hostname);
    return app.fetch(request);
  },
);
