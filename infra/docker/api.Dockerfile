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
CMD ["node", "dist/main.js"]
