export {
  labelOf,
  matches,
  type CacheTier,
  type TierName,
  type Meta,
  type EvictReason,
  type EvictListener,
  type HitCounts,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierStatsSnapshot,
} from './tier.js';
export { OutgoingEntry, entryOf } from './entry.js';
export { MemoryTier, adaptiveLimit, type MemoryTierOptions, type MemoryProbe } from './memory-tier.js';
export { DiskTier, type DiskTierOptions } from './disk-tier.js';
export { RedisTier, type RedisIndex } from './redis-tier.js';
export { MongoTier, SINGLE_COLLECTION, type EntryDoc, type MongoLayout } from './mongo-tier.js';
export { LayeredCache, type CacheHit, type CacheTiers, type LayeredCacheOptions } from './layered-cache.js';
export { type TierStats } from './stats.js';
export { TierGuard, TierTimeout, type CacheObserver, type Guarded, type GuardHooks } from './guard.js';
export { Layer, TierCounters } from './layer.js';
export { readThrough, writeThrough } from './read-through.js';
export { SingleFlight } from './single-flight.js';
export { HitCounter } from './hit-counter.js';
export { warmMemory } from './warming.js';
export { purgeLayers, deleteFromLayers } from './purge.js';
export { RemoteInvalidation, LOCAL_TIERS } from './remote-invalidation.js';
export { CacheBus, CACHE_CHANNEL, type CacheEvent } from './bus.js';
export { EvictionBroadcast, announces, EVICTION_BATCH, type EvictionBroadcastMode } from './eviction-broadcast.js';
export {
  enableKeyEvents,
  mergeKeyEventFlags,
  keyEventChannel,
  KeyEventsConfigError,
  type KeyEvent,
  type KeyEventsSetup,
} from './keyspace-events.js';
export { KeyBatch } from './key-batch.js';
export { CircuitBreaker, type BreakerOptions, type BreakerState } from './breaker.js';
export {
  encodeFrame,
  decodeFrame,
  compress,
  decompress,
  DEFAULT_CODEC,
  BROTLI_QUALITY,
  GZIP_LEVEL,
  type Codec,
} from './frame.js';
export { exportCache, importCache, EXPORT_FORMAT, type ExportSummary } from './backup.js';
export {
  cacheSetupFrom,
  connected,
  createCache,
  type CacheConfig,
  type CacheSchema,
  type CacheSetup,
} from './create-cache.js';
