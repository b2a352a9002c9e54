export {
  type CacheTier,
  type TierName,
  type EntryMeta,
  type EvictReason,
  type EvictListener,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierStatsSnapshot,
} from './tier.js';
export { MemoryTier, adaptiveLimit, type MemoryTierOptions, type MemoryProbe } from './memory-tier.js';
export { DiskTier, type DiskTierOptions } from './disk-tier.js';
export { RedisTier } from './redis-tier.js';
export { MongoTier, type EntryDoc } from './mongo-tier.js';
export {
  LayeredCache,
  type CacheHit,
  type TierStats,
  type LayeredCacheOptions,
  type CacheObserver,
} from './layered-cache.js';
export { CacheBus, CACHE_CHANNEL, cacheChannel, type CacheEvent } from './bus.js';
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
export { CircuitBreaker } from './breaker.js';
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
export { cacheSetupFrom, createCache, type CacheConfig, type CacheSetup } from './create-cache.js';
