import type { OutgoingEntry } from '../entry.js';
import {
  matches,
  type CacheTier,
  type Meta,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierName,
} from '../tier.js';

/** The metadata of the unit tests: two labels, as the converter's entries have. */
export type TestMeta = { imageHash?: string; logoType?: string };

/**
 * A tier in a Map for unit tests of the layered cache's parts: it can fail or be slow on demand,
 * records TTLs and the frames it was given (byte tiers store the shared frame), and keeps hit counts.
 */
export class MapTier<M extends Meta = TestMeta> implements CacheTier<M> {
  readonly map = new Map<string, StoredValue<M>>();
  readonly ttls = new Map<string, number | undefined>();
  readonly frames = new Map<string, Buffer>();
  readonly hits = new Map<string, number>();
  calls = { get: 0, set: 0 };
  fail = false;
  slowMs = 0;

  constructor(readonly name: TierName) {}

  private async check() {
    if (this.slowMs) await new Promise((r) => setTimeout(r, this.slowMs));
    if (this.fail) throw new Error(`${this.name} down`);
  }
  async get(k: string) {
    this.calls.get++;
    await this.check();
    return this.map.get(k);
  }
  async set(k: string, e: OutgoingEntry<M>, ttl?: number) {
    this.calls.set++;
    await this.check();
    this.map.set(k, { value: e.value, meta: e.meta });
    this.ttls.set(k, ttl);
    if (this.name !== 'memory') this.frames.set(k, e.frame());
  }
  async delete(k: string) {
    await this.check();
    this.map.delete(k);
  }
  async purge(f: PurgeFilter) {
    await this.check();
    let n = 0;
    for (const [k, v] of this.map)
      if (matches(f, k, v.meta)) {
        this.map.delete(k);
        n++;
      }
    return n;
  }
  async *entries(): AsyncIterable<TierEntry<M>> {
    for (const [key, v] of this.map) yield { key, ...v };
  }
  async clear() {
    await this.check();
    this.map.clear();
  }
  stats() {
    return { evictions: 0, corrupt: 0 };
  }
  async close() {}
  async recordHits(h: ReadonlyMap<string, { n: number }>) {
    await this.check();
    for (const [k, { n }] of h) this.hits.set(k, (this.hits.get(k) ?? 0) + n);
  }
  async popular(limit: number) {
    return [...this.hits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k]) => k);
  }
}
