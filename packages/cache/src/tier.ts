import type { OutgoingEntry } from './entry.js';

export type TierName = 'memory' | 'disk' | 'redis' | 'mongo';

/**
 * The caller's metadata of an entry: opaque to the cache (stored as JSON beside the value and
 * returned with every hit), except for the fields the caller names as labels (see `labelOf`).
 */
export type Meta = object;

/**
 * What an admin purge selects: one key, every entry whose metadata field `label` has `value`
 * (e.g. `{ label: 'imageHash', value: '…' }`), or every entry of the tier.
 */
export type PurgeFilter = { key: string } | { label: string; value: string } | { all: true };

export interface StoredValue<M extends Meta = Meta> {
  value: Buffer;
  meta: M;
}

export interface TierEntry<M extends Meta = Meta> extends StoredValue<M> {
  key: string;
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

/** Hits gathered since the last flush, per key, with the entry's metadata (for per-label counts). */
export type HitCounts<M extends Meta = Meta> = ReadonlyMap<string, { n: number; meta: M }>;

/**
 * The one interface every cache tier implements. Values are opaque bytes with the caller's metadata;
 * the byte tiers store the entry's frame (encoded once per write, see entry.ts), and keep the
 * metadata so purges by label work everywhere.
 */
export interface CacheTier<M extends Meta = Meta> {
  readonly name: TierName;
  get(key: string): Promise<StoredValue<M> | undefined>;
  set(key: string, entry: OutgoingEntry<M>, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops the matching entries; returns how many were dropped (best effort count). */
  purge(filter: PurgeFilter): Promise<number>;
  /** Every live entry, for export and warming. */
  entries(): AsyncIterable<TierEntry<M>>;
  /** Drops every entry this tier holds for tracefleet. */
  clear(): Promise<void>;
  stats(): TierStatsSnapshot;
  close(): Promise<void>;
  /** Entries the tier drops by itself (not deletes or purges), for the eviction broadcast. One listener. */
  onEvict?(listener: EvictListener): void;
  /** Shared tiers keep hit counters for warming. */
  recordHits?(hits: HitCounts<M>): Promise<void>;
  /** The most requested keys, most popular first. */
  popular?(limit: number): Promise<string[]>;
}

/** A label's value in an entry's metadata: only string fields are labels. */
export function labelOf(meta: Meta | undefined, label: string): string | undefined {
  const v = (meta as Record<string, unknown> | undefined)?.[label];
  return typeof v === 'string' ? v : undefined;
}

export function matches(filter: PurgeFilter, key: string, meta: Meta | undefined): boolean {
  if ('all' in filter) return true;
  if ('key' in filter) return key === filter.key;
  return labelOf(meta, filter.label) === filter.value;
}
