import { describe, expect, it } from 'vitest';
import { LayeredCache } from './layered-cache.js';
import { MemoryTier } from './memory-tier.js';
import { decodeResult, encodeResult } from './result-codec.js';
import type { CacheTier, TierName } from './tier.js';

class MapTier implements CacheTier {
  readonly map = new Map<string, Buffer>();
  fail = false;
  slow = false;
  constructor(readonly name: TierName) {}
  private async check() {
    if (this.slow) await new Promise((r) => setTimeout(r, 1000));
    if (this.fail) throw new Error(`${this.name} down`);
  }
  async get(k: string) { await this.check(); return this.map.get(k); }
  async set(k: string, v: Buffer) { await this.check(); this.map.set(k, v); }
  async delete(k: string) { await this.check(); this.map.delete(k); }
  async clear() { await this.check(); this.map.clear(); }
  async close() {}
}

describe('layered cache', () => {
  it('reads through and promotes a lower hit into the tiers above', async () => {
    const mem = new MemoryTier({ maxBytes: 1 << 20 });
    const redis = new MapTier('redis');
    redis.map.set('k', Buffer.from('v'));
    const cache = new LayeredCache([mem, redis]);
    expect((await cache.get('k'))?.tier).toBe('redis');
    await new Promise((r) => setImmediate(r));
    expect((await cache.get('k'))?.tier).toBe('memory');
  });

  it('writes through to every tier', async () => {
    const a = new MapTier('disk');
    const b = new MapTier('redis');
    await new LayeredCache([a, b]).set('k', Buffer.from('v'));
    expect(a.map.has('k') && b.map.has('k')).toBe(true);
  });

  it('skips a failing tier, opens its circuit, and closes it when the tier is back', async () => {
    const mem = new MemoryTier({ maxBytes: 1 << 20 });
    const redis = new MapTier('redis');
    const cache = new LayeredCache([mem, redis], { timeoutMs: 100 });
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
    const t = performance.now();
    expect(await new LayeredCache([slow], { timeoutMs: 50 }).get('k')).toBeUndefined();
    expect(performance.now() - t).toBeLessThan(900);
  });

  it('decodes only well-formed results', () => {
    expect(decodeResult(encodeResult({ svg: '<svg/>', meta: { a: 1 } }))?.meta).toEqual({ a: 1 });
    expect(decodeResult(Buffer.from('{"svg":"<script>","meta":{}}'))).toBeUndefined();
    expect(decodeResult(Buffer.from('not json'))).toBeUndefined();
  });
});
