import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '@tracefleet/config';
import type { LayeredCache } from '@tracefleet/cache';
import type { ConvertJobData, ConvertJobResult } from '@tracefleet/queue';
import type { Logger, Metrics } from '@tracefleet/telemetry';
import { registerApiKeys } from './plugins/api-keys.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerImageBody } from './plugins/image-body.js';
import { batchRoutes } from './routes/batches.js';
import { BatchService } from './services/batches.js';
import { convertRoutes } from './routes/convert.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
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
  });
  registerErrorHandling(app);
  await registerImageBody(app, config.maxBodyBytes);
  await registerApiKeys(app, { keys: config.apiKeys, max: config.rateLimitMax, windowSeconds: config.rateLimitWindowSeconds, redis: deps.redis, prefix: config.queuePrefix });
  const service = new ConversionService({
    cache: deps.cache,
    queue: deps.queue,
    queueEvents: deps.queueEvents,
    redis: deps.redis,
    queuePrefix: config.queuePrefix,
    limits: { maxInputPixels: config.maxInputPixels, minDimension: config.minDimension, maxTraceDimension: config.maxTraceDimension },
  });
  await app.register(healthRoutes, { redis: deps.redis, metrics: deps.metrics });
  await app.register(convertRoutes, { service, metrics: deps.metrics, defaultWaitSeconds: config.defaultWaitSeconds });
  await app.register(jobRoutes, { service });
  const batches = new BatchService({ service, redis: deps.redis, queuePrefix: config.queuePrefix });
  await app.register(batchRoutes, { batches, maxBatchSize: config.maxBatchSize, maxBodyBytes: config.maxBodyBytes });
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500) req.log.warn({ url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request failed');
  });
  return app;
}
