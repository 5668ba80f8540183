import { createEdgeApp } from './app.ts';
import { edgeOptionsFromEnv } from './config.ts';

type Bindings = Record<string, string | undefined>;
let app: ReturnType<typeof createEdgeApp> | undefined;

/** Cloudflare Workers entry: settings come from the Worker's vars and secrets (see wrangler.toml). */
export default {
  fetch(request: Request, env: Bindings, ctx: unknown) {
    app ??= createEdgeApp(edgeOptionsFromEnv(env));
    return app.fetch(request, env, ctx as never);
  },
};
