# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
ENV COREPACK_INTEGRITY_KEYS=0 TURBO_TELEMETRY_DISABLED=1
RUN corepack enable
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build && pnpm deploy --filter @tracefleet/api --prod --legacy /out

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out .
RUN mkdir -p /var/cache/tracefleet && chown node:node /var/cache/tracefleet
USER node
# The preload starts OpenTelemetry when OTEL_* variables ask for it (and does nothing otherwise).
CMD ["node", "--import", "@tracefleet/telemetry/register", "dist/main.js"]
