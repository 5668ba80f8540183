# Background workers apart from the region (workers/main.ts, what `npm run worker -- <name…>` runs), for one region:
# REGION, SHARD_URLS (PostgreSQL), EVENT_BUS, SECRETS_KEYS … as the README says. The default command runs every
# worker enabled by the environment (`all`); name some instead to scale them apart, e.g. `relay dispatch`.
# Build from the repository root: docker build -f deploy/docker/worker.Dockerfile -t crm-worker .
FROM node:20.20.2-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Runtime dependencies only (tsx is one); install scripts skipped as in region.Dockerfile.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY db ./db
# What the data plane shares with the edge: request signatures, form ids, the sliding-window counter.
COPY edge/protocol ./edge/protocol
COPY edge/ops/sliding-counts.ts ./edge/ops/
COPY openapi ./openapi
COPY regions ./regions
COPY workers ./workers

# `STORAGE=fs` files (shared with the region's container) and the secrets-key file when SECRETS_KEYS is unset.
RUN mkdir /data && chown node:node /data
USER node
# METRICS_PORT serves /metrics, and answers anything else with "ok": the health check and probes use /health.
ENV HOST=0.0.0.0 METRICS_PORT=9464 DATA_DIR=/data
EXPOSE 9464

HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.METRICS_PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--import", "tsx", "workers/main.ts", "all"]
