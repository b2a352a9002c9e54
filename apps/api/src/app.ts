import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Queue, QueueEvents } from 'bullmq';
import type { RedisClient } from '@tracefleet/redis';
import { pipelineLimits, type Config } from '@tracefleet/config';
import type { ConversionCache } from '@tracefleet/converter';
import { UploadStore, type ConvertJobData, type ConvertJobResult } from '@tracefleet/queue';
import { throttledWarn, traceCacheTiers, type Logger, type Metrics } from '@tracefleet/telemetry';
import { bullBoard } from './plugins/bull-board.js';
import { registerMonitoring } from './plugins/monitoring.js';
import { adminDashboardRoutes } from './routes/admin-dashboard.js';
import { registerApiKeys } from './plugins/api-keys.js';
import { registerDocs } from './plugins/docs.js';
import { registerErrorHandling, schemaError } from './plugins/errors.js';
import { canonicalizeQuery } from './plugins/options-query.js';
import { registerImageBody } from './plugins/image-body.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { AdminSessions, AdminThrottle, type AdminAuth } from './plugins/admin-session.js';
import { requestIdOf } from './plugins/request-id.js';
import { sharedJobIds, TenantJobIds } from './services/job-ids.js';
import { PurgeMarker } from './services/purge-marker.js';
import { batchRoutes } from './routes/batches.js';
import { BatchService } from './services/batches.js';
import { convertRoutes } from './routes/convert.js';
import { adminCacheRoutes } from './routes/admin-cache.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { presetRoutes } from './routes/presets.js';
import { playgroundRoutes } from './routes/playground.js';
import { ConversionService } from './services/conversions.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  cache: ConversionCache;
  redis: RedisClient;
  queue: Queue<ConvertJobData, ConvertJobResult>;
  queueEvents: QueueEvents;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    bodyLimit: config.maxBodyBytes,
    // Per-request log lines would cost more than a cache hit; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (req) => requestIdOf(req.headers),
    trustProxy: config.trustProxy,
    // Slow clients cannot hold connections forever (slowloris); idle keep-alives are closed.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Route schemas are the validation; their errors name the field (and, for options, the value).
    schemaErrorFormatter: schemaError,
    ajv: { customOptions: { verbose: true } },
  });
  registerErrorHandling(app);
  app.decorateRequest('conversion', null);
  // Option values in any letter case and their aliases (`COLOUR`) are canonical before the schema checks them.
  app.addHook('preValidation', async (req) => {
    if (req.query && typeof req.query === 'object') canonicalizeQuery(req.query as Record<string, unknown>);
  });
  await registerSecurityHeaders(app);
  await app.register(cookie);
  await registerImageBody(app, config.maxBodyBytes);
  await registerDocs(app);
  await registerApiKeys(app, {
    keys: config.apiKeys,
    max: config.rateLimitMax,
    windowSeconds: config.rateLimitWindowSeconds,
    redis: deps.redis,
    prefix: config.queuePrefix,
  });
  const purges = new PurgeMarker({ redis: deps.redis, prefix: config.queuePrefix });
  const service = new ConversionService({
    purges,
    cache: deps.cache,
    queue: deps.queue,
    queueEvents: deps.queueEvents,
    uploads: new UploadStore(deps.redis, {
      prefix: config.queuePrefix,
      ttlSeconds: config.uploadTtlSeconds,
      budgetBytes: config.uploadBudgetBytes,
    }),
    // With API keys every key sees only the jobs it submitted, under ids that say nothing about the image.
    ids:
      config.apiKeys.length > 0
        ? new TenantJobIds({ redis: deps.redis, prefix: config.queuePrefix, ttlSeconds: config.jobTtlSeconds })
        : sharedJobIds,
    limits: pipelineLimits(config),
  });
  await app.register(healthRoutes, {
    redis: deps.redis,
    metrics: deps.metrics,
    writeProbeKey: `${config.queuePrefix}:ready-probe`,
  });
  await app.register(convertRoutes, { service, metrics: deps.metrics, defaultWaitSeconds: config.defaultWaitSeconds });
  await app.register(jobRoutes, { service });
  await app.register(presetRoutes);
  deps.metrics.bindCache(deps.cache);
  const admin: AdminAuth = {
    token: config.adminToken,
    sessions: new AdminSessions({
      redis: deps.redis,
      prefix: config.queuePrefix,
      ttlSeconds: config.adminSessionTtlSeconds,
    }),
    throttle: new AdminThrottle({ redis: deps.redis, prefix: config.queuePrefix }),
  };
  await app.register(adminCacheRoutes, { cache: deps.cache, admin, purges });
  const batches = new BatchService({
    service,
    redis: deps.redis,
    queuePrefix: config.queuePrefix,
    ttlSeconds: config.jobTtlSeconds,
  });
  await app.register(batchRoutes, { batches, maxBatchSize: config.maxBatchSize, maxBodyBytes: config.maxBodyBytes });
  // Observability: cache tier spans (tracing on only), shared time buckets + alerts, dashboard, Bull Board.
  traceCacheTiers(deps.cache);
  const monitoring = registerMonitoring(app, {
    config,
    logger: deps.logger,
    metrics: deps.metrics,
    redis: deps.redis,
    queue: deps.queue,
    cache: deps.cache,
  });
  await app.register(adminDashboardRoutes, {
    admin,
    redis: deps.redis,
    keyPrefix: config.queuePrefix,
    alerts: monitoring.alerts,
  });
  await app.register(bullBoard, { queue: deps.queue, admin });
  await app.register(playgroundRoutes, { apiKeyRequired: config.apiKeys.length > 0 });
  // With Redis away every request fails alike: one line per kind with backoff, not one per request.
  const failed = throttledWarn(deps.logger, 'request failed');
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500) failed(`status ${reply.statusCode}`, { route: req.routeOptions.url ?? req.url });
  });
  return app;
}
