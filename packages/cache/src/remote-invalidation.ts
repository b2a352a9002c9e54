import type { CacheBus, CacheEvent } from './bus.js';
import type { EvictionBroadcast } from './eviction-broadcast.js';
import type { Layer } from './layer.js';
import { purgeLayers } from './purge.js';
import type { Meta, PurgeFilter, TierName } from './tier.js';

/** Tiers that live in this process or on this host: invalidations from other processes are applied to them. */
export const LOCAL_TIERS: ReadonlySet<TierName> = new Set(['memory', 'disk']);

/**
 * Both ends of invalidation across processes. Out: a delete or purge done here is published on the
 * bus. In: another process's delete or purge is applied to this process's memory and this host's disk
 * (the shared tiers were handled where it happened); an eviction is handed to the eviction broadcast.
 */
export class RemoteInvalidation<M extends Meta = Meta> {
  private readonly local: readonly Layer<M>[];

  constructor(
    private readonly bus: Pick<CacheBus, 'onEvent' | 'publish'>,
    layers: readonly Layer<M>[],
    private readonly evictions: EvictionBroadcast<M> | undefined,
    private readonly onError?: (tier: TierName, op: string, err: unknown) => void,
    /** Told of every purge or delete from another process (the hit counter forgets its pending hits). */
    private readonly onPurge?: (filter: PurgeFilter) => void,
  ) {
    this.local = layers.filter((l) => LOCAL_TIERS.has(l.name));
    bus.onEvent((ev) => void this.apply(ev));
  }

  async publish(ev: CacheEvent): Promise<void> {
    try {
      await this.bus.publish(ev);
    } catch (err) {
      this.onError?.('redis', 'publish', err);
    }
  }

  async apply(ev: CacheEvent): Promise<void> {
    if (ev.op === 'evict') return this.evictions?.apply(ev.keys);
    const filter: PurgeFilter = ev.op === 'delete' ? { key: ev.key } : ev.filter;
    this.onPurge?.(filter);
    await purgeLayers(this.local, filter);
  }
}
