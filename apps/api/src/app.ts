import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '@tracefleet/config';
import type { LayeredCache } from '@tracefleet/cache';
import type { ConvertJobData, ConvertJobResult } from '@tracefleet/queue';
import { traceCacheTiers, type Logger, type Metrics } from '@tracefleet/telemetry';
import { bullBoard } from './plugins/bull-board.js';
import { registerMonitoring } from './plugins/monitoring.js';
import { adminDashboardRoutes } from './routes/admin-dashboard.js';
import { registerApiKeys } from './plugins/api-keys.js';
import { registerDocs } from './plugins/docs.js';
import { registerErrorHandling, schemaError } from './plugins/errors.js';
import { canonicalizeQuery } from './plugins/options-query.js';
import { registerImageBody } from './plugins/image-body.js';
import { batchRoutes } from './routes/batches.js';
import { BatchService } from './services/batches.js';
import { convertRoutes } from './routes/convert.js';
import { adminCacheRoutes } from './routes/admin-cache.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { playgroundRoutes } from './routes/playground.js';
import { ConversionService } from './services/conversions.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  cache: LayeredCache;
  redis: Redis;
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
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
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
  await registerImageBody(app, config.maxBodyBytes);
  await registerDocs(app);
  await registerApiKeys(app, {
    keys: config.apiKeys,
    max: config.rateLimitMax,
    windowSeconds: config.rateLimitWindowSeconds,
    redis: deps.redis,
    prefix: config.queuePrefix,
  });
  const service = new ConversionService({
    cache: deps.cache,
    queue: deps.queue,
    queueEvents: deps.queueEvents,
    redis: deps.redis,
    queuePrefix: config.queuePrefix,
    limits: {
      maxInputPixels: config.maxInputPixels,
      minDimension: config.minDimension,
      maxTraceDimension: config.maxTraceDimension,
    },
  });
  await app.register(healthRoutes, { redis: deps.redis, metrics: deps.metrics });
  await app.register(convertRoutes, { service, metrics: deps.metrics, defaultWaitSeconds: config.defaultWaitSeconds });
  await app.register(jobRoutes, { service });
  deps.metrics.bindCache(deps.cache);
  await app.register(adminCacheRoutes, { cache: deps.cache, adminToken: config.adminToken });
  const batches = new BatchService({ service, redis: deps.redis, queuePrefix: config.queuePrefix });
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
    adminToken: config.adminToken,
    redis: deps.redis,
    keyPrefix: config.queuePrefix,
    alerts: monitoring.alerts,
  });
  await app.register(bullBoard, { queue: deps.queue, adminToken: config.adminToken });
  await app.register(playgroundRoutes, { apiKeyRequired: config.apiKeys.length > 0 });
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500)
      req.log.warn({ url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request failed');
  });
  return app;
}
