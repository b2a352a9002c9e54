import { imageHashOf } from '@tracefleet/contract';

export type TierName = 'memory' | 'disk' | 'redis' | 'mongo';

/** What an entry is about, stored next to its value so purges can select by it. */
export interface EntryMeta {
  /** sha256 of the source image. */
  imageHash?: string;
  /** The pipeline's logo type (results only). */
  logoType?: string;
  /** Quality metadata kept queryable in the durable tier. */
  quality?: Record<string, number>;
}

/** What an admin purge selects. `all` drops every tracefleet entry of the tier. */
export type PurgeFilter = { key: string } | { imageHash: string } | { logoType: string } | { all: true };

export interface StoredValue {
  value: Buffer;
  meta: EntryMeta;
}

export interface TierEntry {
  key: string;
  value: Buffer;
  meta: EntryMeta;
  /** Seconds left to live; undefined = no expiry. */
  ttlSeconds?: number;
}

/** Why a tier dropped an entry on its own: its size bound (LRU) or the entry's expiry. */
export type EvictReason = 'size' | 'expired';

export type EvictListener = (key: string, reason: EvictReason) => void;

export interface TierStatsSnapshot {
  entries?: number;
  bytes?: number;
  evictions: number;
  corrupt: number;
}

/**
 * The one interface every cache tier implements. Values are opaque bytes (the layered cache owns
 * the encoding); tiers keep the entry's metadata so purges by image hash or logo type work everywhere.
 */
export interface CacheTier {
  readonly name: TierName;
  get(key: string): Promise<StoredValue | undefined>;
  set(key: string, value: Buffer, ttlSeconds?: number, meta?: EntryMeta): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops the matching entries; returns how many were dropped (best effort count). */
  purge(filter: PurgeFilter): Promise<number>;
  /** Every live entry, for export and warming. */
  entries(): AsyncIterable<TierEntry>;
  /** Drops every entry this tier holds for tracefleet. */
  clear(): Promise<void>;
  stats(): TierStatsSnapshot;
  close(): Promise<void>;
  /** Entries the tier drops by itself (not deletes or purges), for the eviction broadcast. One listener. */
  onEvict?(listener: EvictListener): void;
  /** Shared tiers keep hit counters for warming: per key and per logo type. */
  recordHits?(hits: ReadonlyMap<string, { n: number; logoType?: string }>): Promise<void>;
  /** The most requested keys, most popular first. */
  popular?(limit: number): Promise<string[]>;
}

export function matches(filter: PurgeFilter, key: string, meta: EntryMeta | undefined): boolean {
  if ('all' in filter) return true;
  if ('key' in filter) return key === filter.key;
  if ('imageHash' in filter) return (meta?.imageHash ?? imageHashOf(key)) === filter.imageHash;
  return meta?.logoType === filter.logoType;
}
