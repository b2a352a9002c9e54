import { describe, expect, it } from 'vitest';
import { LayeredCache } from './layered-cache.js';
import { MemoryTier } from './memory-tier.js';
import { decodeFrame, encodeFrame } from './frame.js';
import {
  matches,
  type CacheTier,
  type EntryMeta,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierName,
} from './tier.js';

class MapTier implements CacheTier {
  readonly map = new Map<string, StoredValue>();
  readonly ttls = new Map<string, number | undefined>();
  readonly hits = new Map<string, number>();
  fail = false;
  slow = false;
  constructor(readonly name: TierName) {}
  private async check() {
    if (this.slow) await new Promise((r) => setTimeout(r, 1000));
    if (this.fail) throw new Error(`${this.name} down`);
  }
  async get(k: string) {
    await this.check();
    return this.map.get(k);
  }
  async set(k: string, v: Buffer, ttl?: number, meta: EntryMeta = {}) {
    await this.check();
    this.map.set(k, { value: v, meta });
    this.ttls.set(k, ttl);
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
  async *entries(): AsyncIterable<TierEntry> {
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
    for (const [k, { n }] of h) this.hits.set(k, (this.hits.get(k) ?? 0) + n);
  }
  async popular(limit: number) {
    return [...this.hits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k]) => k);
  }
}

const mem = () => new MemoryTier({ maxBytes: 1 << 20, adaptive: false });
const tick = () => new Promise((r) => setImmediate(r));

describe('layered cache', () => {
  it('gives each tier its own TTL, falling back to the common one', async () => {
    const m = mem();
    const disk = new MapTier('disk');
    const redis = new MapTier('redis');
    const cache = new LayeredCache([m, disk, redis], {
      hitFlushMs: 0,
      ttlSeconds: 3600,
      tierTtlSeconds: { memory: 1, redis: 86400 },
    });
    await cache.set('k', Buffer.from('v'));
    expect(disk.ttls.get('k')).toBe(3600);
    expect(redis.ttls.get('k')).toBe(86400);
    expect((await cache.get('k'))?.tier).toBe('memory');
    await new Promise((r) => setTimeout(r, 1100));
    // Gone from memory after its own 1 s, still served by the disk tier below.
    expect((await cache.get('k'))?.tier).toBe('disk');
    await cache.close();
  });

  it('reads through and promotes a lower hit, with its metadata, into the tiers above', async () => {
    const m = mem();
    const redis = new MapTier('redis');
    redis.map.set('k', { value: Buffer.from('v'), meta: { logoType: 'flag' } });
    const cache = new LayeredCache([m, redis], { hitFlushMs: 0 });
    expect((await cache.get('k'))?.tier).toBe('redis');
    await tick();
    expect(cache.peek('k')).toMatchObject({ tier: 'memory', meta: { logoType: 'flag' } });
    expect((await cache.get('k'))?.tier).toBe('memory');
    expect(cache.stats().memory).toMatchObject({ hits: 2, misses: 1 });
  });

  it('shares one walk down the tiers between concurrent lookups of one key', async () => {
    const redis = new MapTier('redis');
    redis.map.set('k', { value: Buffer.from('v'), meta: {} });
    let reads = 0;
    const get = redis.get.bind(redis);
    redis.get = async (k: string) => {
      reads++;
      return get(k);
    };
    const cache = new LayeredCache([redis], { hitFlushMs: 0 });
    const hits = await Promise.all(Array.from({ length: 20 }, () => cache.get('k')));
    expect(hits.every((h) => h?.value.toString() === 'v')).toBe(true);
    expect(reads).toBe(1);
    await cache.get('k');
    expect(reads).toBe(2);
  });

  it('writes through to every tier', async () => {
    const a = new MapTier('disk');
    const b = new MapTier('redis');
    await new LayeredCache([a, b], { hitFlushMs: 0 }).set('k', Buffer.from('v'), { logoType: 'mono' });
    expect(a.map.get('k')?.meta.logoType).toBe('mono');
    expect(b.map.has('k')).toBe(true);
  });

  it('skips a failing tier, opens its circuit, and closes it when the tier is back', async () => {
    const redis = new MapTier('redis');
    const cache = new LayeredCache([mem(), redis], { timeoutMs: 100, hitFlushMs: 0 });
    await cache.set('k', Buffer.from('v'));
    redis.fail = true;
    for (let i = 0; i < 5; i++) expect(await cache.get('absent')).toBeUndefined();
    expect(cache.stats().redis.state).toBe('open');
    expect(cache.stats().redis.errors).toBeGreaterThanOrEqual(3);
    expect((await cache.get('k'))?.tier).toBe('memory');
    redis.fail = false;
    (cache as unknown as { breakers: Map<string, { openedAt: number }> }).breakers.get('redis')!.openedAt = 0;
    await cache.get('absent');
    expect(cache.stats().redis.state).toBe('closed');
  });

  it('times out a slow tier instead of waiting for it', async () => {
    const slow = new MapTier('redis');
    slow.slow = true;
    const cache = new LayeredCache([slow], { timeoutMs: 50, hitFlushMs: 0 });
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats().redis.errors).toBe(1);
  });

  it('purges every tier and reports counts per tier', async () => {
    const disk = new MapTier('disk');
    const cache = new LayeredCache([mem(), disk], { hitFlushMs: 0 });
    await cache.set('v1:r:' + 'c'.repeat(64) + ':auto.8', Buffer.from('x'), { logoType: 'raster' });
    await cache.set('other', Buffer.from('y'), { logoType: 'mono' });
    expect(await cache.purge({ logoType: 'raster' })).toEqual({ memory: 1, disk: 1 });
    expect((await cache.get('other'))?.tier).toBe('memory');
  });

  it('counts hits per key and logo type, flushes them, and warms memory with the most popular', async () => {
    const redis = new MapTier('redis');
    const a = new LayeredCache([mem(), redis], { hitFlushMs: 0 });
    await a.set('popular', Buffer.from('p'), { logoType: 'mono' });
    await a.set('rare', Buffer.from('r'), { logoType: 'mono' });
    for (let i = 0; i < 3; i++) a.peek('popular');
    await a.get('rare');
    await a.flushHits();
    expect(Object.fromEntries(redis.hits)).toEqual({ popular: 3, rare: 1 });
    const b = new LayeredCache([mem(), redis], { hitFlushMs: 0 });
    expect(b.peek('popular')).toBeUndefined();
    expect(await b.warm(1)).toBe(1);
    expect(b.peek('popular')?.value.toString()).toBe('p');
    expect(b.peek('rare')).toBeUndefined();
  });

  it('frames compress, carry metadata, and reject any flipped byte', () => {
    const svg = Buffer.from('<svg>' + '<path d="M0 0L10 10"/>'.repeat(200) + '</svg>');
    const f = encodeFrame(svg, { logoType: 'mono' });
    expect(f.length).toBeLessThan(svg.length / 5);
    expect(decodeFrame(f)).toEqual({ value: svg, meta: { logoType: 'mono' } });
    for (const i of [0, 3, 5, 12, f.length - 1]) {
      const bad = Buffer.from(f);
      bad[i] ^= 0x01;
      expect(decodeFrame(bad)).toBeUndefined();
    }
  });
});
