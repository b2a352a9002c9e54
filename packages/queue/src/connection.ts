import { Redis, type RedisOptions } from 'ioredis';

export type ConnectionRole = 'producer' | 'worker' | 'cache' | 'events';

/**
 * ioredis options per role, following BullMQ's production guidance:
 * - workers (and QueueEvents) block on Redis: maxRetriesPerRequest null, keep reconnecting forever;
 * - producers and cache reads fail fast (no offline queue) so the API can answer 503 instead of hanging.
 */
export function redisOptions(role: ConnectionRole): RedisOptions {
  const base: RedisOptions = {
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    reconnectOnError: (err) => /READONLY|LOADING/.test(err.message),
    connectionName: `tracefleet-${role}`,
  };
  if (role === 'worker' || role === 'events') return { ...base, maxRetriesPerRequest: null, enableReadyCheck: true };
  return {
    ...base,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: role === 'cache' ? 500 : 2000,
    connectTimeout: 2000,
  };
}

export function createRedis(url: string, role: ConnectionRole): Redis {
  const redis = new Redis(url, { ...redisOptions(role), lazyConnect: false });
  // Errors surface through command rejections and readiness probes; an unhandled 'error' event would crash.
  redis.on('error', () => undefined);
  return redis;
}
