# The edge on Node (edge/node.ts, what `npm start` runs in front of the regions): REGIONS, EDGE_SHARED_SECRET,
# EDGE_STORE_URL … as the README's "The edge" table says. It also serves the web app, whose stylesheet and island
# scripts are built in the first stage (dev tools: Tailwind, esbuild) and compiled into dist/web/assets.ts.
# Build from the repository root: docker build -f deploy/docker/edge-node.Dockerfile -t crm-edge .
FROM node:20.20.2-bookworm-slim AS web-build

WORKDIR /app
# Every dependency (the build's tools are devDependencies); `prepare` would build before the sources are here.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY web ./web
COPY routes ./routes
COPY islands ./islands
# The few data-plane modules the islands share with the regions (field lists, calendars, lead statuses).
COPY db/schema/lead-statuses.ts ./db/schema/
COPY regions/analytics/calendar.ts regions/analytics/zoned.ts ./regions/analytics/
COPY regions/imports/fields.ts ./regions/imports/
RUN node --import tsx web/build.ts

FROM node:20.20.2-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Runtime dependencies only (tsx is one); install scripts skipped as in region.Dockerfile.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY edge ./edge
COPY openapi ./openapi
COPY web ./web
COPY routes ./routes
COPY islands ./islands
# The data-plane modules the pages and the API contract share with the regions (enums, permissions, field lists):
# single files, so the data plane itself stays out of the edge's image.
COPY db/schema/assignment-enums.ts db/schema/columns.ts db/schema/crm-enums.ts db/schema/lead-statuses.ts \
  db/schema/messaging-enums.ts db/schema/watches.ts ./db/schema/
COPY db/moves/fence.ts ./db/moves/
COPY regions/analytics/calendar.ts regions/analytics/zoned.ts ./regions/analytics/
COPY regions/auth/permissions.ts ./regions/auth/
COPY regions/companies/domain.ts ./regions/companies/
COPY regions/events/types.ts ./regions/events/
COPY regions/imports/fields.ts ./regions/imports/
COPY regions/leads/rules.ts ./regions/leads/
COPY regions/search/query.ts ./regions/search/
COPY --from=web-build /app/dist/web ./dist/web

USER node
ENV HOST=0.0.0.0 PORT=8787
EXPOSE 8787

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--import", "tsx", "edge/node.ts"]
