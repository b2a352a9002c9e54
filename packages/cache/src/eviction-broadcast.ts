import type { CacheBus } from './bus.js';
import { KeyBatch } from './key-batch.js';
import type { KeyEventsConfigError } from './keyspace-events.js';
import type { MemoryTier } from './memory-tier.js';
import { RedisTier } from './redis-tier.js';
import type { CacheTier, EvictReason, Meta, TierName } from './tier.js';

/** CACHE_EVICTION_BROADCAST. */
export type EvictionBroadcastMode = 'shared' | 'all' | 'off';

/** A burst of evictions goes out as one message per window or per this many keys. */
export const EVICTION_BATCH = { windowMs: 50, maxItems: 500 } as const;

/**
 * The rule. `shared`: evictions from tiers every process reads — the disk (shared by the processes
 * of a host: size cap and expired files) and Redis (its own expiry/eviction, announced by Redis).
 * `all`: also memory LRU evictions. A memory TTL expiry is never announced: each process's copy has
 * its own clock and expires by itself. `off`: nothing (deletes and purges are broadcast regardless).
 */
export function announces(mode: EvictionBroadcastMode, tier: TierName, reason: EvictReason): boolean {
  if (mode === 'off') return false;
  if (tier === 'disk') return true;
  return mode === 'all' && tier === 'memory' && reason === 'size';
}

export interface EvictionBroadcastOptions<M extends Meta = Meta> {
  mode: EvictionBroadcastMode;
  bus: CacheBus;
  tiers: readonly CacheTier<M>[];
  memory?: MemoryTier<M>;
  onError?: (tier: TierName, op: string, err: unknown) => void;
  /** Redis refused to turn keyspace notifications on: reported once. */
  onWarning?: (message: string, err: KeyEventsConfigError) => void;
}

/**
 * Both ends of the eviction broadcast. Sending: the tiers' own evictions that the mode announces are
 * dropped from this process's memory and published, batched, as `{op:'evict', keys}`. Receiving:
 * other processes' batches and Redis's expired/evicted key events drop the keys from this process's
 * memory tier only — the shared tier was handled where the eviction happened.
 */
export class EvictionBroadcast<M extends Meta = Meta> {
  /** Evicted keys published, per tier; for Redis, expiry/eviction events of cache entries received. */
  private readonly announced = new Map<TierName, number>();
  /** Memory entries dropped because a shared tier or another process evicted them. */
  private remoteApplied = 0;
  private readonly batch = new KeyBatch<TierName>((b) => this.publish(b), EVICTION_BATCH);

  constructor(private readonly opts: EvictionBroadcastOptions<M>) {
    if (opts.mode === 'off') return;
    for (const t of opts.tiers) {
      if (!t.onEvict || !(announces(opts.mode, t.name, 'size') || announces(opts.mode, t.name, 'expired'))) continue;
      this.announced.set(t.name, 0);
      t.onEvict((key, reason) => {
        if (!announces(opts.mode, t.name, reason)) return;
        // Gone from a shared tier: this process's memory drops it too, as every other one will.
        if (t !== opts.memory) void opts.memory?.purge({ key });
        this.batch.add(key, t.name);
      });
    }
    const redis = opts.tiers.find((t): t is RedisTier<M> => t instanceof RedisTier);
    if (redis) {
      this.announced.set('redis', 0);
      opts.bus.watchKeyEvents(
        (_event, redisKey) => {
          const key = redis.cacheKeyOf(redisKey);
          if (!key) return;
          this.announced.set('redis', this.announced.get('redis')! + 1);
          void this.apply([key]);
        },
        (err) =>
          opts.onWarning?.('Redis keyspace notifications are off: Redis expiries and evictions are not broadcast', err),
      );
    }
  }

  private async publish(batch: Map<string, TierName>): Promise<void> {
    try {
      await this.opts.bus.publish({ op: 'evict', keys: [...batch.keys()] });
      for (const tier of batch.values()) this.announced.set(tier, (this.announced.get(tier) ?? 0) + 1);
    } catch (err) {
      this.opts.onError?.('redis', 'publish', err);
    }
  }

  /** Keys evicted elsewhere: drop them from this process's memory tier. */
  async apply(keys: readonly string[]): Promise<void> {
    const memory = this.opts.memory;
    if (!memory) return;
    for (const key of keys) this.remoteApplied += await memory.purge({ key });
  }

  /** Per tier, only for tiers whose evictions the mode announces (memory always has `remoteEvictions`). */
  stats(tier: TierName): { evictionsBroadcast?: number; remoteEvictions?: number } {
    const sent = this.announced.get(tier);
    return {
      ...(sent !== undefined ? { evictionsBroadcast: sent } : {}),
      ...(tier === 'memory' ? { remoteEvictions: this.remoteApplied } : {}),
    };
  }

  /** Publishes what is waiting; later evictions (tiers closing) are not announced. */
  async close(): Promise<void> {
    await this.batch.close();
  }
}
