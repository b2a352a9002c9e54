import type { RedisClient } from '@tracefleet/redis';
import { CacheBus, cacheChannel } from './bus.js';
import { DiskTier } from './disk-tier.js';
import type { EvictionBroadcastMode } from './eviction-broadcast.js';
import type { KeyEventsConfigError } from './keyspace-events.js';
import { LayeredCache } from './layered-cache.js';
import { MemoryTier } from './memory-tier.js';
import { MongoTier } from './mongo-tier.js';
import { RedisTier } from './redis-tier.js';
import type { CacheTier, TierName } from './tier.js';

export interface CacheSetup {
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
  /** Entries to warm the memory tier with at start-up, most popular first (0 = none). In the background. */
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

/** The standard stack: memory → disk → Redis → MongoDB, each only when configured. */
export async function createCache(setup: CacheSetup): Promise<LayeredCache> {
  const prefix = setup.cachePrefix ?? 'tracefleet:cache';
  const tiers: CacheTier[] = [new MemoryTier({ maxBytes: setup.memoryMaxBytes })];
  if (setup.cacheDir) tiers.push(new DiskTier(setup.cacheDir, { maxBytes: setup.diskMaxBytes }));
  if (setup.redis)
    tiers.push(new RedisTier(setup.redis, `${prefix}:`, setup.tierTtlSeconds?.redis ?? setup.ttlSeconds));
  if (setup.mongoUrl) {
    try {
      tiers.push(
        await MongoTier.connect(setup.mongoUrl, { ttlSeconds: setup.tierTtlSeconds?.mongo ?? setup.ttlSeconds }),
      );
    } catch (err) {
      // The durable tier is optional: run without it rather than not at all.
      setup.onError?.('mongo', 'connect', err);
    }
  }
  const bus = setup.redis ? new CacheBus(setup.redis, cacheChannel(prefix)) : undefined;
  const cache = new LayeredCache(tiers, {
    ttlSeconds: setup.ttlSeconds,
    tierTtlSeconds: setup.tierTtlSeconds,
    onError: setup.onError,
    onWarning: setup.onWarning,
    bus,
    evictionBroadcast: setup.evictionBroadcast,
  });
  if (setup.warm) void cache.warm(setup.warm).catch((err) => setup.onError?.('memory', 'warm', err));
  return cache;
}
