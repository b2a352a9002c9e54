import { CircuitBreaker } from './breaker.js';
import type { CacheTier, TierName } from './tier.js';

export interface CacheHit {
  value: Buffer;
  tier: TierName;
}

export interface TierStats {
  hits: number;
  misses: number;
  errors: number;
  sets: number;
  state: 'closed' | 'open' | 'half-open';
}

export interface LayeredCacheOptions {
  ttlSeconds?: number;
  /** Time limit of one operation on a tier other than memory. */
  timeoutMs?: number;
  onError?: (tier: TierName, op: string, err: unknown) => void;
}

class TierTimeout extends Error {}

/**
 * Tiers fastest first. Reads go down until a hit and fill the tiers above it (promotion); writes go
 * to every tier. A tier that fails or is slow is skipped and counted, never fatal.
 */
export class LayeredCache {
  private readonly breakers = new Map<TierName, CircuitBreaker>();
  private readonly counters = new Map<TierName, TierStats>();

  constructor(readonly tiers: CacheTier[], private readonly opts: LayeredCacheOptions = {}) {
    for (const t of tiers) {
      this.breakers.set(t.name, new CircuitBreaker());
      this.counters.set(t.name, { hits: 0, misses: 0, errors: 0, sets: 0, state: 'closed' });
    }
  }

  tier(name: TierName): CacheTier | undefined {
    return this.tiers.find((t) => t.name === name);
  }

  private async guard<T>(tier: CacheTier, op: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    const breaker = this.breakers.get(tier.name)!;
    if (!breaker.allow()) return { ok: false };
    const timeoutMs = tier.name === 'memory' ? 0 : (this.opts.timeoutMs ?? 500);
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = timeoutMs
        ? await Promise.race([fn(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TierTimeout(`${tier.name} ${op} timed out after ${timeoutMs} ms`)), timeoutMs)))])
        : await fn();
      breaker.success();
      return { ok: true, value };
    } catch (err) {
      breaker.failure();
      this.counters.get(tier.name)!.errors++;
      this.opts.onError?.(tier.name, op, err);
      return { ok: false };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async get(key: string): Promise<CacheHit | undefined> {
    for (let i = 0; i < this.tiers.length; i++) {
      const tier = this.tiers[i];
      const r = await this.guard(tier, 'get', () => tier.get(key));
      const c = this.counters.get(tier.name)!;
      if (r.ok && r.value) {
        c.hits++;
        // Promote into the faster tiers without making the caller wait for remote ones.
        for (const upper of this.tiers.slice(0, i)) void this.guard(upper, 'set', () => upper.set(key, r.value!, this.opts.ttlSeconds));
        return { value: r.value, tier: tier.name };
      }
      if (r.ok) c.misses++;
    }
    return undefined;
  }

  async set(key: string, value: Buffer): Promise<void> {
    await Promise.all(
      this.tiers.map(async (t) => {
        const r = await this.guard(t, 'set', () => t.set(key, value, this.opts.ttlSeconds));
        if (r.ok) this.counters.get(t.name)!.sets++;
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await Promise.all(this.tiers.map((t) => this.guard(t, 'delete', () => t.delete(key))));
  }

  async clear(): Promise<void> {
    await Promise.all(this.tiers.map((t) => this.guard(t, 'clear', () => t.clear())));
  }

  stats(): Record<string, TierStats> {
    const out: Record<string, TierStats> = {};
    for (const t of this.tiers) out[t.name] = { ...this.counters.get(t.name)!, state: this.breakers.get(t.name)!.state };
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.tiers.map((t) => t.close().catch(() => undefined)));
  }
}
