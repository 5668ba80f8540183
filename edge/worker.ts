import { createEdgeApp } from './app.ts';
import { edgeOptionsFromEnv } from './config.ts';

type Bindings = Record<string, string | undefined>;
let app: ReturnType<typeof createEdgeApp> | undefined;

/** Cloudflare Workers entry: settings come from the Worker's vars and secrets (see wrangler.toml). */
export default {
  fetch(request: Request, env: Bindings, ctx: unknown) {
    app ??= createEdgeApp({
      ...edgeOptionsFromEnv(env),
      // Shows in `wrangler tail` (and Miniflare's log); otherwise a 500 leaves no trace beyond the envelope.
      onError: (error) => console.error(JSON.stringify({ level: 'error', msg: 'edge error', err: String(error) })),
    });
    return app.fetch(request, env, ctx as never);
  },
};
