import os from 'node:os';
import v8 from 'node:v8';
import { LRUCache } from 'lru-cache';
import type { OutgoingEntry } from './entry.js';
import {
  matches,
  type CacheTier,
  type EvictListener,
  type Meta,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierStatsSnapshot,
} from './tier.js';

export interface MemoryTierOptions {
  /** Upper bound in bytes (CACHE_MEMORY_MAX_BYTES). */
  maxBytes: number;
  ttlSeconds?: number;
  /**
   * Adaptive sizing (default on): see `adaptiveLimit`. Re-evaluated every `checkMs`; off in tests
   * that need a fixed bound.
   */
  adaptive?: boolean;
  checkMs?: number;
  /** Injected for tests: heap limit/used and free/total system memory. */
  probe?: () => MemoryProbe;
}

export interface MemoryProbe {
  heapLimit: number;
  heapUsed: number;
  freeMem: number;
  totalMem: number;
}

const systemProbe = (): MemoryProbe => {
  const h = v8.getHeapStatistics();
  return { heapLimit: h.heap_size_limit, heapUsed: h.used_heap_size, freeMem: os.freemem(), totalMem: os.totalmem() };
};

/**
 * The rule: the tier may use at most `maxBytes`, at most 1/4 of the V8 heap limit, and at most 1/4
 * of the free system memory. Under pressure — heap more than 85 % used or less than 5 % of system
 * memory free — the bound halves (down to 1 MiB floor) at every check until the pressure is gone;
 * without pressure it grows back toward the rule's value. Buffers live outside the V8 heap, but
 * the heap bound keeps the tier well below the point where the process would be killed.
 */
export function adaptiveLimit(maxBytes: number, current: number, p: MemoryProbe): number {
  const rule = Math.min(maxBytes, Math.floor(p.heapLimit / 4), Math.floor(p.freeMem / 4));
  const pressure = p.heapUsed / p.heapLimit > 0.85 || p.freeMem / p.totalMem < 0.05;
  if (pressure) return Math.max(1 << 20, Math.min(rule, Math.floor(current / 2)));
  return rule;
}

/** Per-process LRU bounded by bytes, with an adaptive bound. */
export class MemoryTier<M extends Meta = Meta> implements CacheTier<M> {
  readonly name = 'memory' as const;
  private readonly lru: LRUCache<string, StoredValue<M>>;
  private limitBytes: number;
  private evictions = 0;
  private timer?: NodeJS.Timeout;
  private evicted?: EvictListener;

  constructor(private readonly opts: MemoryTierOptions) {
    this.lru = new LRUCache<string, StoredValue<M>>({
      maxSize: opts.maxBytes,
      sizeCalculation: (v, k) => v.value.length + k.length + 64,
      ttl: opts.ttlSeconds ? opts.ttlSeconds * 1000 : 0,
      ttlAutopurge: false,
      // Deletes and overwrites ('delete', 'set') are not evictions: only the bound and stale entries are.
      dispose: (_v, k, reason) => {
        if (reason === 'evict') {
          this.evictions++;
          this.evicted?.(k, 'size');
        } else if (reason === 'expire') this.evicted?.(k, 'expired');
      },
    });
    this.limitBytes = opts.maxBytes;
    if (opts.adaptive !== false) {
      this.adapt();
      this.timer = setInterval(() => this.adapt(), opts.checkMs ?? 10_000);
      this.timer.unref();
    }
  }

  /** Re-evaluates the bound and evicts least recently used entries down to it. */
  adapt(): number {
    this.limitBytes = adaptiveLimit(this.opts.maxBytes, this.limitBytes, (this.opts.probe ?? systemProbe)());
    this.shrink();
    return this.limitBytes;
  }

  get limit(): number {
    return this.limitBytes;
  }

  private shrink(): void {
    while (this.lru.calculatedSize > this.limitBytes && this.lru.size > 0) {
      this.lru.pop(); // counted by dispose ('evict')
    }
  }

  onEvict(listener: EvictListener): void {
    this.evicted = listener;
  }

  /** Synchronous read for the hot path (an API hit never needs a tick). */
  peek(key: string): StoredValue<M> | undefined {
    return this.lru.get(key);
  }

  async get(key: string): Promise<StoredValue<M> | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, entry: OutgoingEntry<M>, ttlSeconds?: number): Promise<void> {
    const { value, meta } = entry;
    this.lru.set(key, { value, meta }, ttlSeconds ? { ttl: ttlSeconds * 1000 } : undefined);
    if (this.lru.calculatedSize > this.limitBytes) this.shrink();
  }

  async delete(key: string): Promise<void> {
    this.lru.delete(key);
  }

  async purge(filter: PurgeFilter): Promise<number> {
    if ('key' in filter) return this.lru.delete(filter.key) ? 1 : 0;
    let n = 0;
    for (const [k, slot] of [...this.lru.entries()]) {
      if (matches(filter, k, slot.meta)) {
        this.lru.delete(k);
        n++;
      }
    }
    return n;
  }

  async *entries(): AsyncIterable<TierEntry<M>> {
    for (const [key, slot] of [...this.lru.entries()]) {
      const ttl = this.lru.getRemainingTTL(key);
      yield {
        key,
        value: slot.value,
        meta: slot.meta,
        ttlSeconds: Number.isFinite(ttl) && ttl > 0 ? Math.ceil(ttl / 1000) : undefined,
      };
    }
  }

  async clear(): Promise<void> {
    this.lru.clear();
  }

  stats(): TierStatsSnapshot {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize, evictions: this.evictions, corrupt: 0 };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
