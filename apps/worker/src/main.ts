import { Worker } from 'bullmq';
import { loadConfig } from '@tracefleet/config';
import { cacheSetupFrom } from '@tracefleet/cache';
import { Converter, createConversionCache } from '@tracefleet/converter';
import { ConversionPool } from '@tracefleet/pipeline';
import {
  CONVERT_QUEUE,
  createConvertQueue,
  createRedis,
  type ConvertJobData,
  type ConvertJobResult,
} from '@tracefleet/queue';
import {
  cacheTierHooks,
  createLogger,
  createMetrics,
  queueTelemetry,
  redactUrl,
  shutdownTracing,
} from '@tracefleet/telemetry';
import { LivenessMonitor } from './liveness.js';
import { startWorkerObservability } from './observability.js';
import { createProcessor } from './processor.js';
import { startProbeServer } from './probe-server.js';

const config = loadConfig();
const logger = createLogger('tracefleet-worker', config.logLevel);
const metrics = createMetrics('worker');

const workerRedis = createRedis(config.redisUrl, 'worker');
const cacheRedis = createRedis(config.redisUrl, 'cache');
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
  limits: {
    maxInputPixels: config.maxInputPixels,
    minDimension: config.minDimension,
    maxTraceDimension: config.maxTraceDimension,
  },
});
const converter = new Converter(cache, pool);
const observability = startWorkerObservability({ redis: cacheRedis, prefix: config.queuePrefix, cache });

const worker = new Worker<ConvertJobData, ConvertJobResult>(
  CONVERT_QUEUE,
  observability.observe(createProcessor({ converter, redis: workerRedis, metrics, logger })),
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
worker.on('error', (err) => logger.error({ err: err.message }, 'worker error'));
worker.on('failed', (job, err) => logger.debug({ jobId: job?.id, reason: err.message }, 'job failed'));

const counts = createConvertQueue(workerRedis, config.queuePrefix, config.jobAttempts);
const liveness = new LivenessMonitor(worker, {
  waitingCount: async () => {
    const c = await counts.getJobCounts('wait', 'prioritized');
    return (c.wait ?? 0) + (c.prioritized ?? 0);
  },
  stuckAfterMs: config.workerLivenessSeconds * 1000,
});
const probes = await startProbeServer(config.metricsPort, { worker, redis: workerRedis, metrics, liveness });
logger.info(
  {
    redis: redactUrl(config.redisUrl),
    concurrency: config.workerConcurrency,
    threads: pool.threads,
    metricsPort: config.metricsPort,
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
  await Promise.allSettled([workerRedis.quit(), cacheRedis.quit()]);
  logger.info('stopped');
  await shutdownTracing();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
