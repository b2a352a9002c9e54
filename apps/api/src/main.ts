import { loadConfig } from '@tracefleet/config';
import { cacheSetupFrom } from '@tracefleet/cache';
import { createConversionCache } from '@tracefleet/converter';
import { createConvertQueue, createQueueEvents, createRedis } from '@tracefleet/queue';
import {
  cacheTierHooks,
  createLogger,
  createMetrics,
  queueTelemetry,
  redactUrl,
  shutdownTracing,
} from '@tracefleet/telemetry';
import { buildApp } from './app.js';

const config = loadConfig();
const logger = createLogger('tracefleet-api', config.logLevel);
const metrics = createMetrics('api');

// Fail-fast connections: with Redis down the API answers 503 at once instead of queueing commands.
const redis = createRedis(config.redisUrl, 'producer');
const cacheRedis = createRedis(config.redisUrl, 'cache');
const queue = createConvertQueue(redis, config.queuePrefix, config.jobAttempts, queueTelemetry());
queue.on('error', (err) => logger.warn({ err: err.message }, 'queue connection error'));
const queueEvents = createQueueEvents(config.redisUrl, config.queuePrefix);
queueEvents.on('error', (err) => logger.warn({ err: err.message }, 'queue events connection error'));
// Waits for the cache's Redis connection and warms the memory tier before listening (see createCache).
const cache = await createConversionCache({
  ...cacheSetupFrom(config),
  cacheDir: config.cacheDir,
  redis: cacheRedis,
  warm: 1000,
  ...cacheTierHooks(logger, metrics),
});

const app = await buildApp({ config, logger, metrics, cache, redis, queue, queueEvents });
await app.listen({ port: config.port, host: config.host });
logger.info(
  { port: config.port, redis: redactUrl(config.redisUrl), mongo: redactUrl(config.mongoUrl) },
  'api listening',
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'api stopping');
  await app.close();
  await Promise.allSettled([queue.close(), queueEvents.close(), cache.close()]);
  await Promise.allSettled([redis.quit(), cacheRedis.quit()]);
  await shutdownTracing();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
