import type { BreakerOptions } from './breaker.js';
import type { CacheBus } from './bus.js';
import { OutgoingEntry } from './entry.js';
import { EvictionBroadcast, type EvictionBroadcastMode } from './eviction-broadcast.js';
import type { CacheObserver, GuardHooks } from './guard.js';
import { HitCounter } from './hit-counter.js';
import type { KeyEventsConfigError } from './keyspace-events.js';
import { Layer } from './layer.js';
import type { MemoryTier } from './memory-tier.js';
import { deleteFromLayers, purgeLayers } from './purge.js';
import { readThrough, writeThrough } from './read-through.js';
import { LOCAL_TIERS, RemoteInvalidation } from './remote-invalidation.js';
import { SingleFlight } from './single-flight.js';
import { layerStats, type TierStats } from './stats.js';
import type { CacheTier, Meta, PurgeFilter, TierName } from './tier.js';
import { warmMemory } from './warming.js';

export interface CacheHit<M extends Meta = Meta> {
  value: Buffer;
  meta: M;
  tier: TierName;
}

/** The tiers of a layered cache: this process's memory tier (optional) and the others, fastest first. */
export interface CacheTiers<M extends Meta = Meta> {
  memory?: MemoryTier<M>;
  lower?: CacheTier<M>[];
}

export interface LayeredCacheOptions {
  ttlSeconds?: number;
  /** Per-tier TTL overriding `ttlSeconds` (e.g. short in memory, long in MongoDB). */
  tierTtlSeconds?: Partial<Record<TierName, number>>;
  /** Time limit of one operation on a tier other than memory. */
  timeoutMs?: number;
  /** Circuit breaker of every tier (threshold, cooldown). */
  breaker?: BreakerOptions;
  onError?: (tier: TierName, op: string, err: unknown) => void;
  /** Invalidation broadcast (Redis pub/sub). */
  bus?: CacheBus;
  /** Which evictions go over the bus (CACHE_EVICTION_BROADCAST); default `shared`. */
  evictionBroadcast?: EvictionBroadcastMode;
  /** Something degraded but working, e.g. Redis refusing keyspace notifications; called once per cause. */
  onWarning?: (message: string, err: KeyEventsConfigError) => void;
  /** How often hit counters are flushed to the tiers that keep them (0 = only on close). */
  hitFlushMs?: number;
}

/**
 * Tiers fastest first, over opaque values with the caller's metadata `M`. Reads go down until a hit
 * and fill the tiers above it; writes go to every tier. Each concern is its own unit: the walk
 * (read-through.ts), single flight, the per-tier guard (guard.ts: timeout + breaker), hit counting
 * (hit-counter.ts), warming, purges, the invalidation and eviction broadcasts, and stats.
 */
export class LayeredCache<M extends Meta = Meta> {
  /** Every tier, memory first. */
  readonly tiers: readonly CacheTier<M>[];
  private readonly layers: Layer<M>[];
  private readonly memory?: { tier: MemoryTier<M>; layer: Layer<M> };
  private readonly hooks: GuardHooks;
  private readonly hits: HitCounter<M>;
  private readonly reads = new SingleFlight<CacheHit<M> | undefined>();
  private readonly evictions?: EvictionBroadcast<M>;
  private readonly invalidation?: RemoteInvalidation<M>;

  constructor(
    tiers: CacheTiers<M>,
    private readonly opts: LayeredCacheOptions = {},
  ) {
    this.tiers = [...(tiers.memory ? [tiers.memory] : []), ...(tiers.lower ?? [])];
    this.hooks = { onError: opts.onError };
    this.layers = this.tiers.map(
      (t) =>
        new Layer(t, {
          ttlSeconds: opts.tierTtlSeconds?.[t.name] ?? opts.ttlSeconds,
          timeoutMs: t === tiers.memory ? 0 : (opts.timeoutMs ?? 500),
          hooks: this.hooks,
          breaker: opts.breaker,
        }),
    );
    if (tiers.memory) this.memory = { tier: tiers.memory, layer: this.layers[0] };
    if (opts.bus) {
      this.evictions = new EvictionBroadcast({
        mode: opts.evictionBroadcast ?? 'shared',
        bus: opts.bus,
        tiers: this.tiers,
        memory: tiers.memory,
        onError: opts.onError,
        onWarning: opts.onWarning,
      });
      this.invalidation = new RemoteInvalidation(opts.bus, this.layers, this.evictions, opts.onError, (f) =>
        this.hits.forget(f),
      );
    }
    this.hits = new HitCounter(this.layers, opts.hitFlushMs);
  }

  tier(name: TierName): CacheTier<M> | undefined {
    return this.tiers.find((t) => t.name === name);
  }

  /** Metrics hook: every tier operation's outcome and duration. */
  setObserver(fn: CacheObserver): void {
    this.hooks.observer = fn;
  }

  /** The hot path: a memory hit without a promise or a tick. */
  peek(key: string): CacheHit<M> | undefined {
    if (!this.memory) return undefined;
    const started = performance.now();
    const slot = this.memory.tier.peek(key);
    if (!slot) return undefined;
    this.memory.layer.counted(true, performance.now() - started);
    this.hits.note(key, slot.meta);
    return { value: slot.value, meta: slot.meta, tier: 'memory' };
  }

  /** Read-through lookup; concurrent lookups of one key share one walk down the tiers. */
  get(key: string): Promise<CacheHit<M> | undefined> {
    return this.reads.run(key, async () => {
      const r = await readThrough(this.layers, key);
      if (!r) return undefined;
      this.hits.note(key, r.found.meta);
      return { value: r.found.value, meta: r.found.meta, tier: r.layer.name };
    });
  }

  /** Writes to every tier; the value is framed (compressed) once for all the byte tiers. */
  async set(key: string, value: Buffer, meta: M): Promise<void> {
    await writeThrough(this.layers, key, new OutgoingEntry(value, meta));
  }

  /**
   * Writes to this process's and this host's tiers only (memory, disk): for an entry another process
   * already wrote to the shared tiers, e.g. the result of a job a worker ran.
   */
  async setLocal(key: string, value: Buffer, meta: M): Promise<void> {
    const local = this.layers.filter((l) => LOCAL_TIERS.has(l.name));
    await writeThrough(local, key, new OutgoingEntry(value, meta));
  }

  /** Removes one key from every tier and tells the other processes. */
  async delete(key: string): Promise<void> {
    this.hits.forget({ key });
    await deleteFromLayers(this.layers, key);
    await this.invalidation?.publish({ op: 'delete', key });
  }

  /** Admin purge: every tier, then every other process's memory and disk tiers. Counts per tier. */
  async purge(filter: PurgeFilter): Promise<Record<string, number | 'error'>> {
    this.hits.forget(filter);
    const out = await purgeLayers(this.layers, filter);
    await this.invalidation?.publish({ op: 'purge', filter });
    return out;
  }

  async clear(): Promise<void> {
    await this.purge({ all: true });
  }

  /** Writes the hit counters gathered since the last flush to the tiers that keep them. */
  flushHits(): Promise<void> {
    return this.hits.flush();
  }

  /** Fills the memory tier with the most requested entries; how many were loaded. */
  async warm(limit = 1000): Promise<number> {
    if (!this.memory) return 0;
    return warmMemory(this.memory.layer, this.layers.slice(1), limit);
  }

  stats(): Record<string, TierStats> {
    return Object.fromEntries(this.layers.map((l) => [l.name, layerStats(l, this.evictions)]));
  }

  async close(): Promise<void> {
    await this.hits.close();
    await this.evictions?.close();
    await this.opts.bus?.close();
    await Promise.all(this.tiers.map((t) => t.close().catch(() => undefined)));
  }
}
