import type { RedisClient } from '@tracefleet/redis';
import { CacheBus, cacheChannel } from './bus.js';
import { DiskTier } from './disk-tier.js';
import type { EvictionBroadcastMode } from './eviction-broadcast.js';
import type { KeyEventsConfigError } from './keyspace-events.js';
import { LayeredCache } from './layered-cache.js';
import { MemoryTier } from './memory-tier.js';
import { MongoTier, type MongoLayout } from './mongo-tier.js';
import { RedisTier, type RedisIndex } from './redis-tier.js';
import type { CacheTier, Meta, TierName } from './tier.js';

/** How the tiers that keep indexes (Redis, MongoDB) index the caller's metadata `M`. */
export interface CacheSchema<M extends Meta = Meta> {
  redis?: RedisIndex;
  mongo?: MongoLayout<M>;
}

export interface CacheSetup<M extends Meta = Meta> {
  /** The caller's metadata indexes; omitted = purge by key or `all` only in Redis and MongoDB. */
  schema?: CacheSchema<M>;
  /** Upper bound of the memory tier; the actual bound adapts (see MemoryTier). */
  memoryMaxBytes: number;
  /** Disk tier directory; omitted = no disk tier. */
  cacheDir?: string;
  /** Disk tier size cap (LRU eviction past it). */
  diskMaxBytes?: number;
  /** Shared Redis connection (`cache` role: fail fast); omitted = no Redis tier and no invalidation broadcast. */
  redis?: RedisClient;
  /** Key prefix of the Redis tier (CACHE_PREFIX, no trailing colon); the channel is `<prefix>:events`. */
  cachePrefix?: string;
  mongoUrl?: string;
  ttlSeconds: number;
  /** Per-tier TTL overriding `ttlSeconds`. */
  tierTtlSeconds?: Partial<Record<TierName, number>>;
  /**
   * Entries to warm the memory tier with at start-up, most popular first (0 = none). `createCache`
   * waits for the Redis connection and the warm-up; when Redis does not answer at start-up, the
   * warm-up runs in the background once it does.
   */
  warm?: number;
  /** Which evictions every process drops from memory (CACHE_EVICTION_BROADCAST); default `shared`. Needs `redis`. */
  evictionBroadcast?: EvictionBroadcastMode;
  onError?: (tier: TierName, op: string, err: unknown) => void;
  /** Degraded but working (e.g. Redis refused CONFIG for keyspace notifications); once per cause. */
  onWarning?: (message: string, err: KeyEventsConfigError) => void;
}

/** The cache settings of the typed config (packages/config), under the same names. */
export interface CacheConfig {
  cachePrefix: string;
  cacheMemoryMaxBytes: number;
  cacheDiskMaxBytes: number;
  mongoUrl: string | undefined;
  cacheTtlSeconds: number;
  cacheTierTtlSeconds: Partial<Record<TierName, number>>;
  cacheEvictionBroadcast: EvictionBroadcastMode;
}

/** The part of a CacheSetup the config decides; the caller adds directory, connection and hooks. */
export function cacheSetupFrom(
  config: CacheConfig,
): Pick<
  CacheSetup,
  'memoryMaxBytes' | 'diskMaxBytes' | 'mongoUrl' | 'ttlSeconds' | 'tierTtlSeconds' | 'evictionBroadcast' | 'cachePrefix'
> {
  return {
    cachePrefix: config.cachePrefix,
    memoryMaxBytes: config.cacheMemoryMaxBytes,
    diskMaxBytes: config.cacheDiskMaxBytes,
    mongoUrl: config.mongoUrl,
    ttlSeconds: config.cacheTtlSeconds,
    tierTtlSeconds: config.cacheTierTtlSeconds,
    evictionBroadcast: config.cacheEvictionBroadcast,
  };
}

/**
 * Resolves true once the connection is ready, false as soon as an attempt to connect fails (ioredis
 * keeps retrying in the background). A fail-fast connection refuses commands until it is ready.
 */
export function connected(redis: RedisClient): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  if (redis.status === 'end') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      redis.off('ready', onReady);
      redis.off('close', onClose);
      resolve(ok);
    };
    const onReady = done(true);
    const onClose = done(false);
    redis.once('ready', onReady);
    redis.once('close', onClose);
  });
}

/** The standard stack: memory → disk → Redis → MongoDB, each only when configured. */
export async function createCache<M extends Meta = Meta>(setup: CacheSetup<M>): Promise<LayeredCache<M>> {
  const prefix = setup.cachePrefix ?? 'tracefleet:cache';
  const lower: CacheTier<M>[] = [];
  if (setup.cacheDir) lower.push(new DiskTier<M>(setup.cacheDir, { maxBytes: setup.diskMaxBytes }));
  if (setup.redis)
    lower.push(
      new RedisTier<M>(setup.redis, `${prefix}:`, setup.tierTtlSeconds?.redis ?? setup.ttlSeconds, setup.schema?.redis),
    );
  if (setup.mongoUrl) {
    try {
      lower.push(
        await MongoTier.connect<M>(setup.mongoUrl, {
          ttlSeconds: setup.tierTtlSeconds?.mongo ?? setup.ttlSeconds,
          layout: setup.schema?.mongo,
        }),
      );
    } catch (err) {
      // The durable tier is optional: run without it rather than not at all.
      setup.onError?.('mongo', 'connect', err);
    }
  }
  const bus = setup.redis ? new CacheBus(setup.redis, cacheChannel(prefix)) : undefined;
  const cache = new LayeredCache<M>(
    { memory: new MemoryTier<M>({ maxBytes: setup.memoryMaxBytes }), lower },
    {
      ttlSeconds: setup.ttlSeconds,
      tierTtlSeconds: setup.tierTtlSeconds,
      onError: setup.onError,
      onWarning: setup.onWarning,
      bus,
      evictionBroadcast: setup.evictionBroadcast,
    },
  );
  if (setup.warm) {
    const limit = setup.warm;
    const warm = () => cache.warm(limit).catch((err) => void setup.onError?.('memory', 'warm', err));
    const redis = setup.redis;
    if (!redis || (await connected(redis))) await warm();
    else redis.once('ready', () => void warm());
  }
  return cache;
}
