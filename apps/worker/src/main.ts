import { Worker } from 'bullmq';
import { loadConfig } from '@tracefleet/config';
import { createCache } from '@tracefleet/cache';
import { Converter } from '@tracefleet/converter';
import { ConversionPool } from '@tracefleet/pipeline';
import { CONVERT_QUEUE, createRedis, type ConvertJobData, type ConvertJobResult } from '@tracefleet/queue';
import { createLogger, createMetrics, redactUrl } from '@tracefleet/telemetry';
import { createProcessor } from './processor.js';
import { startProbeServer } from './probe-server.js';

const config = loadConfig();
const logger = createLogger('tracefleet-worker', config.logLevel);
const metrics = createMetrics('worker');

const workerRedis = createRedis(config.redisUrl, 'worker');
const cacheRedis = createRedis(config.redisUrl, 'cache');
const cache = await createCache({
  memoryMaxBytes: config.cacheMemoryMaxBytes,
  cacheDir: config.cacheDir,
  redis: cacheRedis,
  mongoUrl: config.mongoUrl,
  ttlSeconds: config.cacheTtlSeconds,
  onError: (tier, op, err) => {
    metrics.cacheOps.inc({ tier, result: 'error' });
    logger.warn({ tier, op, err: (err as Error).message }, 'cache tier error');
  },
});
const pool = new ConversionPool({
  threads: config.pipelineThreads,
  timeoutMs: config.jobTimeoutMs,
  limits: { maxInputPixels: config.maxInputPixels, minDimension: config.minDimension, maxTraceDimension: config.maxTraceDimension },
});
const converter = new Converter(cache, pool);

const worker = new Worker<ConvertJobData, ConvertJobResult>(CONVERT_QUEUE, createProcessor({ converter, redis: workerRedis, metrics, logger }), {
  connection: workerRedis,
  prefix: config.queuePrefix,
  concurrency: config.workerConcurrency,
  // Lock renewal runs on this event loop; the pipeline runs in threads, so it is never starved.
  lockDuration: 30_000,
  stalledInterval: 15_000,
  maxStalledCount: 2,
});
worker.on('error', (err) => logger.error({ err: err.message }, 'worker error'));
worker.on('failed', (job, err) => logger.debug({ jobId: job?.id, reason: err.message }, 'job failed'));

const probes = await startProbeServer(config.metricsPort, { worker, redis: workerRedis, metrics });
logger.info({ redis: redactUrl(config.redisUrl), concurrency: config.workerConcurrency, threads: pool.threads, metricsPort: config.metricsPort }, 'worker started');

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
  await pool.close();
  await cache.close();
  probes.close();
  await Promise.allSettled([workerRedis.quit(), cacheRedis.quit()]);
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
