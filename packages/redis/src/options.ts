import type { RedisOptions } from 'ioredis';

/**
 * What a connection is for. `worker` and `events` block on Redis (BullMQ Worker, QueueEvents);
 * `producer` (API requests, uploads, monitoring, rate limits) and `cache` fail fast; `subscriber`
 * listens to pub/sub and must queue and re-subscribe across reconnects.
 */
export type ConnectionRole = 'producer' | 'worker' | 'events' | 'cache' | 'subscriber';

/** Reconnect backoff: 200 ms doubling to 2 s, forever (a Redis that comes back is always rejoined). */
export const retryDelay = (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000);

/**
 * A demoted master answers writes with READONLY (a Sentinel failover, a replica promoted by hand).
 * Reconnect and resend: the new connection asks the sentinels (or the cluster) where the master is
 * now, instead of looping on the old host. LOADING: a restarted node replaying its AOF.
 */
export function reconnectOnError(err: Error): 2 | false {
  return /^(READONLY|LOADING)/.test(err.message) ? 2 : false;
}

/** ioredis options per role, following BullMQ's production guidance. */
export function redisOptions(role: ConnectionRole): RedisOptions {
  const base: RedisOptions = { retryStrategy: retryDelay, reconnectOnError, connectionName: `tracefleet-${role}` };
  // commandTimeout stated (as none) so a duplicate of a fail-fast client does not inherit its timeout:
  // ioredis re-subscribes and BullMQ blocks without a catch of their own.
  if (role === 'worker' || role === 'events' || role === 'subscriber')
    return {
      ...base,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      enableReadyCheck: true,
      commandTimeout: undefined,
    };
  // No offline queue: with Redis away the API answers 503 at once and a slow cache is never slower than converting.
  return {
    ...base,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: role === 'cache' ? 500 : 2000,
    connectTimeout: 2000,
  };
}

/** Whether a role's commands wait for a connection (true) or fail at once while disconnected. */
export const queuesOffline = (role: ConnectionRole) => redisOptions(role).enableOfflineQueue !== false;
