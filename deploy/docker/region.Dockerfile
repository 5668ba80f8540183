# A region's data plane (regions/server.ts), one region per container: REGION, SHARD_URLS, DIRECTORY_URL,
# EDGE_SHARED_SECRET, SECRETS_KEYS, SIGNING_KEYS … as the README's "A region" table says. The image also carries
# scripts/db-setup.ts, which deploy/compose.yaml's one-shot `db-setup` service runs (what `npm run db:setup` runs).
# Build from the repository root: docker build -f deploy/docker/region.Dockerfile -t crm-region .
FROM node:20.20.2-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Runtime dependencies only. tsx, which runs the TypeScript sources, is a dependency, not a devDependency. Install
# scripts are skipped: the project's `prepare` builds the web app with dev tools, and esbuild (tsx's compiler)
# takes its binary from its platform package without its postinstall.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY db ./db
# What the data plane shares with the edge: request signatures, form ids, the sliding-window counter.
COPY edge/protocol ./edge/protocol
COPY edge/forms/public-id.ts ./edge/forms/
COPY edge/ops/sliding-counts.ts edge/ops/server-span.ts ./edge/ops/
COPY openapi ./openapi
COPY regions ./regions
COPY workers ./workers
COPY scripts/db-setup.ts ./scripts/db-setup.ts

# Signing-key and secrets-key files and `STORAGE=fs` files live here unless the environment provides them.
RUN mkdir /data && chown node:node /data
USER node
ENV HOST=0.0.0.0 PORT=8800 DATA_DIR=/data
EXPOSE 8800

HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself is PID 1, so SIGTERM reaches regions/server.ts, which closes its shards before exiting.
CMD ["node", "--import", "tsx", "regions/server.ts"]
