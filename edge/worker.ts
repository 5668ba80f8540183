import { createEdgeApp } from './app.ts';
import { edgeOptionsFromEnv } from './config.ts';
import { storeFromBindings } from './store/select.ts';

// Vars and secrets are strings; `EDGE_KV` (wrangler.toml `[[kv_namespaces]]`) is a KV namespace.
type Bindings = Record<string, unknown>;
let app: ReturnType<typeof createEdgeApp> | undefined;

/** Cloudflare Workers entry: settings come from the Worker's vars and secrets (see wrangler.toml). */
export default {
  fetch(request: Request, env: Bindings, ctx: unknown) {
    app ??= createEdgeApp({
      ...edgeOptionsFromEnv(env as Record<string, string | undefined>),
      // The read cache in KV (or Upstash); without either, each isolate keeps its own in memory.
      store: storeFromBindings(env),
      // Shows in `wrangler tail` (and Miniflare's log); otherwise a 500 leaves no trace beyond the envelope.
      onError: (error) => console.error(JSON.stringify({ level: 'error', msg: 'edge error', err: String(error) })),
    });
    return app.fetch(request, env, ctx as never);
  },
};
