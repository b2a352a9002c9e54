import type { BreakerState } from './breaker.js';
import type { EvictionBroadcast } from './eviction-broadcast.js';
import type { Layer } from './layer.js';
import type { Meta } from './tier.js';

export interface TierStats {
  hits: number;
  misses: number;
  errors: number;
  sets: number;
  evictions: number;
  corrupt: number;
  bytes?: number;
  entries?: number;
  state: BreakerState;
  /** Latency of get operations on this tier (memory hits included). */
  latency: { count: number; meanMs: number; maxMs: number };
  /**
   * Evictions of this tier announced to every process (eviction broadcast): keys this process
   * published (disk; memory in mode `all`), or for Redis its expiry/eviction events received.
   * Only on tiers the mode announces.
   */
  evictionsBroadcast?: number;
  /** Memory only: entries dropped because another process or Redis announced their eviction. */
  remoteEvictions?: number;
}

/** One tier's figures: this process's counters, the tier's own, its circuit, and the eviction broadcast's. */
export function layerStats<M extends Meta>(l: Layer<M>, evictions?: EvictionBroadcast<M>): TierStats {
  const s = l.tier.stats();
  const { hits, misses, sets } = l.counters;
  return {
    hits,
    misses,
    errors: l.guard.errors,
    sets,
    evictions: s.evictions,
    corrupt: s.corrupt,
    ...(s.bytes !== undefined ? { bytes: s.bytes } : {}),
    ...(s.entries !== undefined ? { entries: s.entries } : {}),
    state: l.guard.breaker.state,
    latency: l.counters.latency(),
    ...evictions?.stats(l.name),
  };
}
