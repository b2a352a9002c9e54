import { Worker } from 'bullmq';
import { loadConfig, pipelineLimits } from '@tracefleet/config';
import { cacheSetupFrom } from '@tracefleet/cache';
import { Converter, createConversionCache } from '@tracefleet/converter';
import { ConversionPool } from '@tracefleet/pipeline';
import {
  CONVERT_QUEUE,
  createConvertQueue,
  UploadStore,
  type ConvertJobData,
  type ConvertJobResult,
} from '@tracefleet/queue';
import { createRedisClient, describeTarget, type ConnectionRole } from '@tracefleet/redis';
import {
  cacheTierHooks,
  createLogger,
  createMetrics,
  queueTelemetry,
  shutdownTracing,
  throttledLog,
  throttledWarn,
} from '@tracefleet/telemetry';
import { LivenessMonitor } from './liveness.js';
import { startWorkerObservability } from './observability.js';
import { createProcessor } from './processor.js';
import { startProbeServer } from './probe-server.js';

const config = loadConfig();
const logger = createLogger('tracefleet-worker', config.logLevel);
const metrics = createMetrics('worker');

// While Redis is away or failing over every client errors many times a second: log with backoff.
const redisError = throttledWarn(logger, 'redis connection error');
const client = (target: typeof config.redis, role: ConnectionRole) =>
  createRedisClient(target, role, { onError: (err) => redisError(err, { role }) });
const workerRedis = client(config.redis, 'worker');
// Monitoring buckets live beside the queue (not in the cache Redis) and must never hold up a job.
const monitorRedis = client(config.redis, 'producer');
const cacheRedis = client(config.cacheRedis, 'cache');
const cache = await createConversionCache({
  ...cacheSetupFrom(config),
  cacheDir: config.cacheDir,
  redis: cacheRedis,
  warm: 1000,
  ...cacheTierHooks(logger, metrics),
});
metrics.bindCache(cache);
const pool = new ConversionPool({
  threads: config.pipelineThreads,
  timeoutMs: config.jobTimeoutMs,
  limits: pipelineLimits(config),
});
const converter = new Converter(cache, pool);
const observability = startWorkerObservability({ redis: monitorRedis, prefix: config.queuePrefix, cache });

const worker = new Worker<ConvertJobData, ConvertJobResult>(
  CONVERT_QUEUE,
  observability.observe(
    createProcessor({
      converter,
      // Workers only read and release uploads; the budget is enforced where they are stored (the API).
      uploads: new UploadStore(workerRedis, {
        prefix: config.queuePrefix,
        ttlSeconds: config.uploadTtlSeconds,
        budgetBytes: config.uploadBudgetBytes,
      }),
      metrics,
      logger,
    }),
  ),
  {
    connection: workerRedis,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    // Lock renewal runs on this event loop; the pipeline runs in threads, so it is never starved.
    // A killed worker's jobs are taken over after about lockDuration + stalledInterval.
    lockDuration: config.workerLockDurationMs,
    stalledInterval: config.workerStalledIntervalMs,
    maxStalledCount: config.workerMaxStalledCount,
    // Job spans continue the trace of the API request that enqueued them (bullmq-otel; off unless tracing is on).
    telemetry: queueTelemetry(),
  },
);
const workerError = throttledLog((fields, msg) => logger.error(fields, msg), 'worker error');
worker.on('error', (err) => workerError(err));
worker.on('failed', (job, err) => logger.debug({ jobId: job?.id, reason: err.message }, 'job failed'));

const counts = createConvertQueue(workerRedis, config.queuePrefix, config.jobAttempts, undefined, config.jobTtlSeconds);
const liveness = new LivenessMonitor(worker, {
  waitingCount: async () => {
    const c = await counts.getJobCounts('wait', 'prioritized');
    return (c.wait ?? 0) + (c.prioritized ?? 0);
  },
  stuckAfterMs: config.workerLivenessSeconds * 1000,
});
const probes = await startProbeServer(config.metricsPort, config.metricsHost, {
  worker,
  redis: workerRedis,
  metrics,
  liveness,
});
logger.info(
  {
    redis: describeTarget(config.redis),
    cacheRedis: describeTarget(config.cacheRedis),
    concurrency: config.workerConcurrency,
    threads: pool.threads,
    metricsPort: config.metricsPort,
    metricsHost: config.metricsHost,
  },
  'worker started',
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'stopping: no new jobs, finishing in-flight ones');
  const grace = setTimeout(() => {
    logger.error('grace period over, exiting with jobs in flight (they will be picked up as stalled)');
    process.exit(1);
  }, config.shutdownGraceMs);
  grace.unref();
  await worker.close();
  await counts.close();
  await pool.close();
  await observability.close();
  await cache.close();
  probes.close();
  await Promise.allSettled([workerRedis.quit(), monitorRedis.quit(), cacheRedis.quit()]);
  logger.info('stopped');
  await shutdownTracing();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
