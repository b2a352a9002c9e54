import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '@tracefleet/config';
import { queuesOffline, redisOptions, retryDelay, type ConnectionRole } from './options.js';

/** Every Redis the fleet talks to is one of these; single-key commands read the same on both. */
export type RedisClient = Redis | Cluster;

export const isCluster = (c: RedisClient): c is Cluster => (c as Cluster).isCluster === true;

export interface ClientHooks {
  /** Connection errors (refused, reset, READONLY…); call sites log them throttled. */
  onError?: (err: Error) => void;
  /** Do not connect yet: a template BullMQ duplicates (QueueEvents), connected when first used. */
  lazyConnect?: boolean;
}

function sentinelOptions(target: Extract<RedisTarget, { mode: 'sentinel' }>): RedisOptions {
  return {
    sentinels: target.sentinels,
    name: target.name,
    role: 'master',
    sentinelPassword: target.sentinelPassword,
    password: target.password,
    ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    // No `failoverDetector`: in ioredis 5.11 its +switch-master handler can abort a reconnect already
    // under way (after a kill -9) and leave the client ended for good. Not needed either: Sentinel
    // kills the clients of a node it demotes, and READONLY reconnects (reconnectOnError).
    sentinelRetryStrategy: retryDelay,
  };
}

function clusterOptions(target: Extract<RedisTarget, { mode: 'cluster' }>, role: ConnectionRole): ClusterOptions {
  const { enableOfflineQueue, ...node } = redisOptions(role);
  return {
    redisOptions: { ...node, password: target.password, ...(target.tls ? { tls: {} } : {}) },
    enableOfflineQueue: enableOfflineQueue ?? true,
    clusterRetryStrategy: retryDelay,
    scaleReads: 'master',
    // After a failover inside the cluster the slots move: ask again soon, not after the 5 s default.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    slotsRefreshTimeout: 2000,
  };
}

/**
 * The one client factory: a node by URL, the current master of a Sentinel group (`role: 'master'`,
 * re-discovered on every reconnect), or a Cluster, with the options of `role`.
 */
export function createRedisClient(target: RedisTarget, role: ConnectionRole, hooks: ClientHooks = {}): RedisClient {
  const lazyConnect = hooks.lazyConnect ?? false;
  let client: RedisClient;
  if (target.mode === 'cluster')
    client = new Cluster(
      target.nodes.map((n) => ({ host: n.host, port: n.port })),
      { ...clusterOptions(target, role), lazyConnect },
    );
  else if (target.mode === 'sentinel')
    client = new Redis({ ...redisOptions(role), ...sentinelOptions(target), lazyConnect });
  else client = new Redis(target.url, { ...redisOptions(role), lazyConnect });
  // Errors surface through command rejections and readiness probes; an unhandled 'error' event would crash.
  client.on('error', (err: Error) => hooks.onError?.(err));
  return client;
}

/**
 * A second connection to the same Redis with the options of another role (a subscriber beside a
 * publisher, a short-lived admin connection beside a fail-fast one).
 */
export function duplicateAs(client: RedisClient, role: ConnectionRole, extra: RedisOptions = {}): RedisClient {
  const opts = { ...redisOptions(role), ...extra };
  const dup = isCluster(client)
    ? client.duplicate(undefined, {
        redisOptions: { ...client.options.redisOptions, ...opts, enableOfflineQueue: undefined },
        enableOfflineQueue: opts.enableOfflineQueue ?? queuesOffline(role),
      })
    : client.duplicate(opts);
  dup.on('error', () => undefined);
  return dup;
}
