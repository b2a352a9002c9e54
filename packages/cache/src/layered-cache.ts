import { CircuitBreaker } from './breaker.js';
import type { CacheBus, CacheEvent } from './bus.js';
import { EvictionBroadcast, type EvictionBroadcastMode } from './eviction-broadcast.js';
import type { KeyEventsConfigError } from './keyspace-events.js';
import type { MemoryTier } from './memory-tier.js';
import type { CacheTier, EntryMeta, PurgeFilter, TierName } from './tier.js';

export interface CacheHit {
  value: Buffer;
  meta: EntryMeta;
  tier: TierName;
}

export interface TierStats {
  hits: number;
  misses: number;
  errors: number;
  sets: number;
  evictions: number;
  corrupt: number;
  bytes?: number;
  entries?: number;
  state: 'closed' | 'open' | 'half-open';
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

export type CacheObserver = (
  tier: TierName,
  op: string,
  outcome: 'hit' | 'miss' | 'ok' | 'error',
  seconds: number,
) => void;

export interface LayeredCacheOptions {
  ttlSeconds?: number;
  /** Per-tier TTL overriding `ttlSeconds` (e.g. short in memory, long in MongoDB). */
  tierTtlSeconds?: Partial<Record<TierName, number>>;
  /** Time limit of one operation on a tier other than memory. */
  timeoutMs?: number;
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

class TierTimeout extends Error {}

/** Tiers that live in this process or on this host: remote invalidations are applied to them. */
const LOCAL: ReadonlySet<TierName> = new Set(['memory', 'disk']);

/**
 * Tiers fastest first. Reads go down until a hit and fill the tiers above it (promotion); writes go
 * to every tier. A tier that fails or is slow is skipped and counted, never fatal; its circuit opens
 * after repeated failures and a trial call closes it again once the tier answers.
 */
export class LayeredCache {
  private readonly breakers = new Map<TierName, CircuitBreaker>();
  private readonly counters = new Map<
    TierName,
    Omit<TierStats, 'state' | 'latency' | 'bytes' | 'entries' | 'evictions' | 'corrupt'> & {
      n: number;
      sumMs: number;
      maxMs: number;
    }
  >();
  private readonly memory?: MemoryTier;
  private pendingHits = new Map<string, { n: number; logoType?: string }>();
  private readonly flushTimer?: NodeJS.Timeout;
  private observer?: CacheObserver;
  private readonly reading = new Map<string, Promise<CacheHit | undefined>>();
  private readonly evictions?: EvictionBroadcast;

  constructor(
    readonly tiers: CacheTier[],
    private readonly opts: LayeredCacheOptions = {},
  ) {
    for (const t of tiers) {
      this.breakers.set(t.name, new CircuitBreaker());
      this.counters.set(t.name, { hits: 0, misses: 0, errors: 0, sets: 0, n: 0, sumMs: 0, maxMs: 0 });
    }
    if (tiers[0]?.name === 'memory') this.memory = tiers[0] as MemoryTier;
    if (opts.bus) {
      const { bus, onError, onWarning } = opts;
      this.evictions = new EvictionBroadcast({
        mode: opts.evictionBroadcast ?? 'shared',
        bus,
        tiers,
        memory: this.memory,
        onError,
        onWarning,
      });
      bus.onEvent((ev) => void this.applyRemote(ev));
    }
    if (opts.hitFlushMs !== 0 && tiers.some((t) => t.recordHits)) {
      this.flushTimer = setInterval(() => void this.flushHits(), opts.hitFlushMs ?? 5000);
      this.flushTimer.unref();
    }
  }

  private ttlFor(tier: TierName): number | undefined {
    return this.opts.tierTtlSeconds?.[tier] ?? this.opts.ttlSeconds;
  }

  tier(name: TierName): CacheTier | undefined {
    return this.tiers.find((t) => t.name === name);
  }

  /** Metrics hook: every tier operation's outcome and duration. */
  setObserver(fn: CacheObserver): void {
    this.observer = fn;
  }

  private async guard<T>(
    tier: CacheTier,
    op: string,
    fn: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false }> {
    const breaker = this.breakers.get(tier.name)!;
    if (!breaker.allow()) return { ok: false };
    const timeoutMs = tier.name === 'memory' ? 0 : (this.opts.timeoutMs ?? 500);
    let timer: NodeJS.Timeout | undefined;
    const started = performance.now();
    try {
      const value = timeoutMs
        ? await Promise.race([
            fn(),
            new Promise<never>(
              (_, reject) =>
                (timer = setTimeout(
                  () => reject(new TierTimeout(`${tier.name} ${op} timed out after ${timeoutMs} ms`)),
                  timeoutMs,
                )),
            ),
          ])
        : await fn();
      breaker.success();
      if (op !== 'get') this.observer?.(tier.name, op, 'ok', (performance.now() - started) / 1000);
      return { ok: true, value };
    } catch (err) {
      breaker.failure();
      this.counters.get(tier.name)!.errors++;
      this.opts.onError?.(tier.name, op, err);
      this.observer?.(tier.name, op, 'error', (performance.now() - started) / 1000);
      return { ok: false };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private countGet(tier: TierName, hit: boolean, ms: number): void {
    const c = this.counters.get(tier)!;
    if (hit) c.hits++;
    else c.misses++;
    c.n++;
    c.sumMs += ms;
    if (ms > c.maxMs) c.maxMs = ms;
    this.observer?.(tier, 'get', hit ? 'hit' : 'miss', ms / 1000);
  }

  private noteHit(key: string, logoType: string | undefined): void {
    const h = this.pendingHits.get(key);
    if (h) h.n++;
    else this.pendingHits.set(key, { n: 1, logoType });
  }

  /** The hot path: a memory hit without a promise or a tick. */
  peek(key: string): CacheHit | undefined {
    if (!this.memory) return undefined;
    const started = performance.now();
    const slot = this.memory.peek(key);
    if (!slot) return undefined;
    this.countGet('memory', true, performance.now() - started);
    this.noteHit(key, slot.meta.logoType);
    return { value: slot.value, meta: slot.meta, tier: 'memory' };
  }

  /**
   * Read-through lookup. Concurrent lookups of one key share one walk down the tiers (single flight):
   * a burst of identical requests costs one disk read or one Redis GET, not one each.
   */
  get(key: string): Promise<CacheHit | undefined> {
    const running = this.reading.get(key);
    if (running) return running;
    const p = this.walk(key).finally(() => this.reading.delete(key));
    this.reading.set(key, p);
    return p;
  }

  private async walk(key: string): Promise<CacheHit | undefined> {
    for (let i = 0; i < this.tiers.length; i++) {
      const tier = this.tiers[i];
      const started = performance.now();
      const r = await this.guard(tier, 'get', () => tier.get(key));
      if (!r.ok) continue;
      this.countGet(tier.name, !!r.value, performance.now() - started);
      if (r.value) {
        const { value, meta } = r.value;
        this.noteHit(key, meta.logoType);
        // Promote into the faster tiers without making the caller wait for remote ones.
        for (const upper of this.tiers.slice(0, i))
          void this.guard(upper, 'set', () => upper.set(key, value, this.ttlFor(upper.name), meta));
        return { value, meta, tier: tier.name };
      }
    }
    return undefined;
  }

  async set(key: string, value: Buffer, meta: EntryMeta = {}): Promise<void> {
    await Promise.all(
      this.tiers.map(async (t) => {
        const r = await this.guard(t, 'set', () => t.set(key, value, this.ttlFor(t.name), meta));
        if (r.ok) this.counters.get(t.name)!.sets++;
      }),
    );
  }

  /** Removes one key from every tier and tells the other processes. */
  async delete(key: string): Promise<void> {
    await Promise.all(this.tiers.map((t) => this.guard(t, 'delete', () => t.delete(key))));
    await this.broadcast({ op: 'delete', key });
  }

  /** Admin purge: every tier, then every other process's memory and disk tiers. Counts per tier. */
  async purge(filter: PurgeFilter): Promise<Record<string, number | 'error'>> {
    const out: Record<string, number | 'error'> = {};
    await Promise.all(
      this.tiers.map(async (t) => {
        const r = await this.guard(t, 'purge', () => t.purge(filter));
        out[t.name] = r.ok ? r.value : 'error';
      }),
    );
    await this.broadcast({ op: 'purge', filter });
    return out;
  }

  private async broadcast(ev: CacheEvent): Promise<void> {
    try {
      await this.opts.bus?.publish(ev);
    } catch (err) {
      this.opts.onError?.('redis', 'publish', err);
    }
  }

  /**
   * An invalidation from another process: drop it from this process's memory and this host's disk.
   * An eviction only from memory: the process that evicted handled the shared tier.
   */
  async applyRemote(ev: CacheEvent): Promise<void> {
    if (ev.op === 'evict') return this.evictions?.apply(ev.keys);
    const filter: PurgeFilter = ev.op === 'delete' ? { key: ev.key } : ev.filter;
    await Promise.all(
      this.tiers.filter((t) => LOCAL.has(t.name)).map((t) => this.guard(t, 'purge', () => t.purge(filter))),
    );
  }

  async clear(): Promise<void> {
    await this.purge({ all: true });
  }

  /** Writes the hit counters gathered since the last flush to the tiers that keep them. */
  async flushHits(): Promise<void> {
    if (!this.pendingHits.size) return;
    const hits = this.pendingHits;
    this.pendingHits = new Map();
    await Promise.all(
      this.tiers.filter((t) => t.recordHits).map((t) => this.guard(t, 'hits', () => t.recordHits!(hits))),
    );
  }

  /**
   * Fills the memory tier with the most requested entries (hit counters of the first shared tier
   * that keeps them), read through the lower tiers. Returns how many entries were loaded.
   */
  async warm(limit = 1000): Promise<number> {
    if (!this.memory) return 0;
    const source = this.tiers.find((t) => t.popular);
    if (!source) return 0;
    const r = await this.guard(source, 'popular', () => source.popular!(limit));
    if (!r.ok) return 0;
    let n = 0;
    for (const key of r.value) {
      if (this.memory.peek(key)) continue;
      for (const t of this.tiers.slice(1)) {
        const g = await this.guard(t, 'get', () => t.get(key));
        if (g.ok && g.value) {
          await this.memory.set(key, g.value.value, this.ttlFor('memory'), g.value.meta);
          n++;
          break;
        }
      }
    }
    return n;
  }

  stats(): Record<string, TierStats> {
    const out: Record<string, TierStats> = {};
    for (const t of this.tiers) {
      const { n, sumMs, maxMs, ...c } = this.counters.get(t.name)!;
      const s = t.stats();
      out[t.name] = {
        ...c,
        evictions: s.evictions,
        corrupt: s.corrupt,
        ...(s.bytes !== undefined ? { bytes: s.bytes } : {}),
        ...(s.entries !== undefined ? { entries: s.entries } : {}),
        state: this.breakers.get(t.name)!.state,
        latency: { count: n, meanMs: n ? +(sumMs / n).toFixed(4) : 0, maxMs: +maxMs.toFixed(3) },
        ...this.evictions?.stats(t.name),
      };
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.flushHits().catch(() => undefined);
    await this.evictions?.close();
    await this.opts.bus?.close();
    await Promise.all(this.tiers.map((t) => t.close().catch(() => undefined)));
  }
}
