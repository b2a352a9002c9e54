# syntax=docker/dockerfile:1
# tracefleet worker: build the monorepo, then `pnpm deploy` only @tracefleet/worker with its production
# dependencies into a slim, non-root runtime image. Build from the repository root:
#   docker build -f infra/docker/worker.Dockerfile -t tracefleet-worker .
FROM node:20-bookworm-slim AS build
ENV COREPACK_INTEGRITY_KEYS=0 TURBO_TELEMETRY_DISABLED=1 CI=1
RUN corepack enable
WORKDIR /src
# Dependencies first (cached while only sources change).
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
 && pnpm exec turbo run build --filter=@tracefleet/worker... \
 && pnpm deploy --filter @tracefleet/worker --prod --legacy /out

FROM node:20-bookworm-slim
ENV NODE_ENV=production CACHE_DIR=/var/cache/tracefleet
WORKDIR /app
COPY --from=build --chown=node:node /out .
RUN mkdir -p /var/cache/tracefleet && chown node:node /var/cache/tracefleet
USER node
EXPOSE 9464
# node is PID 1 and handles SIGTERM itself (graceful drain); the preload is inert unless OTEL_* is set.
CMD ["node", "--import", "@tracefleet/telemetry/register", "dist/main.js"]
