import { loadConfig } from '@tracefleet/config';
import { cacheSetupFrom } from '@tracefleet/cache';
import { createConversionCache } from '@tracefleet/converter';
import { createConvertQueue, createQueueEvents } from '@tracefleet/queue';
import { createRedisClient, describeTarget, type ConnectionRole } from '@tracefleet/redis';
import {
  cacheTierHooks,
  createLogger,
  createMetrics,
  queueTelemetry,
  redactUrl,
  shutdownTracing,
  throttledWarn,
} from '@tracefleet/telemetry';
import { buildApp } from './app.js';

const config = loadConfig();
const logger = createLogger('tracefleet-api', config.logLevel);
const metrics = createMetrics('api');

// While Redis is away or failing over every client errors many times a second: log with backoff.
const redisError = throttledWarn(logger, 'redis connection error');
const client = (target: typeof config.redis, role: ConnectionRole, lazyConnect = false) =>
  createRedisClient(target, role, { onError: (err) => redisError(err, { role }), lazyConnect });
// Fail-fast connections: with Redis down the API answers 503 at once instead of queueing commands.
const redis = client(config.redis, 'producer');
const cacheRedis = client(config.cacheRedis, 'cache');
const queue = createConvertQueue(redis, config.queuePrefix, config.jobAttempts, queueTelemetry(), config.jobTtlSeconds);
const queueError = throttledWarn(logger, 'queue connection error');
queue.on('error', (err) => queueError(err));
// BullMQ gives QueueEvents a duplicate of this (blocking XREAD); the template itself never connects.
const eventsTemplate = client(config.redis, 'events', true);
const queueEvents = createQueueEvents(eventsTemplate, config.queuePrefix);
const eventsError = throttledWarn(logger, 'queue events connection error');
queueEvents.on('error', (err) => eventsError(err));
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
  {
    port: config.port,
    redis: describeTarget(config.redis),
    cacheRedis: describeTarget(config.cacheRedis),
    mongo: redactUrl(config.mongoUrl),
  },
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
  eventsTemplate.disconnect();
  await shutdownTracing();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
