import type { BreakerOptions } from './breaker.js';
import type { OutgoingEntry } from './entry.js';
import { TierGuard, type GuardHooks } from './guard.js';
import type { CacheTier, Meta, StoredValue, TierName } from './tier.js';

/** Lookup counts and latency of one tier (memory hits included). */
export class TierCounters {
  hits = 0;
  misses = 0;
  sets = 0;
  private n = 0;
  private sumMs = 0;
  private maxMs = 0;

  lookup(hit: boolean, ms: number): void {
    if (hit) this.hits++;
    else this.misses++;
    this.n++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  latency(): { count: number; meanMs: number; maxMs: number } {
    const n = this.n;
    return { count: n, meanMs: n ? +(this.sumMs / n).toFixed(4) : 0, maxMs: +this.maxMs.toFixed(3) };
  }
}

export interface LayerOptions {
  ttlSeconds?: number;
  timeoutMs: number;
  hooks: GuardHooks;
  breaker?: BreakerOptions;
}

/** One tier as the layered cache uses it: behind its guard, with its counters and its TTL. */
export class Layer<M extends Meta = Meta> {
  readonly guard: TierGuard;
  readonly counters = new TierCounters();
  readonly ttlSeconds?: number;
  private readonly hooks: GuardHooks;

  constructor(
    readonly tier: CacheTier<M>,
    opts: LayerOptions,
  ) {
    this.guard = new TierGuard(tier.name, opts.timeoutMs, opts.hooks, opts.breaker);
    this.ttlSeconds = opts.ttlSeconds;
    this.hooks = opts.hooks;
  }

  get name(): TierName {
    return this.tier.name;
  }

  /** Counts a lookup's outcome (also for peeks, which do not go through the guard). */
  counted(hit: boolean, ms: number): void {
    this.counters.lookup(hit, ms);
    this.hooks.observer?.(this.tier.name, 'get', hit ? 'hit' : 'miss', ms / 1000);
  }

  /** A guarded, counted lookup; undefined when the tier missed, failed or is skipped. */
  async get(key: string): Promise<StoredValue<M> | undefined> {
    const started = performance.now();
    const r = await this.guard.run('get', () => this.tier.get(key));
    if (!r.ok) return undefined;
    this.counted(!!r.value, performance.now() - started);
    return r.value;
  }

  async set(key: string, entry: OutgoingEntry<M>): Promise<void> {
    const r = await this.guard.run('set', () => this.tier.set(key, entry, this.ttlSeconds));
    if (r.ok) this.counters.sets++;
  }
}
