import { describe, expect, it } from 'vitest';
import { LayeredCache } from './layered-cache.js';
import { MemoryTier } from './memory-tier.js';
import { MapTier, type TestMeta } from './test-support/map-tier.js';

const mem = () => new MemoryTier<TestMeta>({ maxBytes: 1 << 20, adaptive: false });
const tick = () => new Promise((r) => setImmediate(r));

/** The composition: each part has its own test beside its file; these check they are wired together. */
describe('layered cache', () => {
  it('gives each tier its own TTL, falling back to the common one', async () => {
    const disk = new MapTier('disk');
    const redis = new MapTier('redis');
    const cache = new LayeredCache<TestMeta>(
      { memory: mem(), lower: [disk, redis] },
      { hitFlushMs: 0, ttlSeconds: 3600, tierTtlSeconds: { memory: 1, redis: 86400 } },
    );
    await cache.set('k', Buffer.from('v'), {});
    expect(disk.ttls.get('k')).toBe(3600);
    expect(redis.ttls.get('k')).toBe(86400);
    expect((await cache.get('k'))?.tier).toBe('memory');
    await new Promise((r) => setTimeout(r, 1100));
    // Gone from memory after its own 1 s, still served by the disk tier below.
    expect((await cache.get('k'))?.tier).toBe('disk');
    await cache.close();
  });

  it('reads through and promotes a lower hit, with its metadata, into the tiers above', async () => {
    const redis = new MapTier('redis');
    redis.map.set('k', { value: Buffer.from('v'), meta: { logoType: 'flag' } });
    const cache = new LayeredCache<TestMeta>({ memory: mem(), lower: [redis] }, { hitFlushMs: 0 });
    expect((await cache.get('k'))?.tier).toBe('redis');
    await tick();
    expect(cache.peek('k')).toMatchObject({ tier: 'memory', meta: { logoType: 'flag' } });
    expect((await cache.get('k'))?.tier).toBe('memory');
    expect(cache.stats().memory).toMatchObject({ hits: 2, misses: 1 });
  });

  it('shares one walk down the tiers between concurrent lookups of one key', async () => {
    const redis = new MapTier('redis');
    redis.map.set('k', { value: Buffer.from('v'), meta: {} });
    const cache = new LayeredCache<TestMeta>({ lower: [redis] }, { hitFlushMs: 0 });
    const hits = await Promise.all(Array.from({ length: 20 }, () => cache.get('k')));
    expect(hits.every((h) => h?.value.toString() === 'v')).toBe(true);
    expect(redis.calls.get).toBe(1);
    await cache.get('k');
    expect(redis.calls.get).toBe(2);
  });

  it('writes through to every tier with one frame shared by the byte tiers', async () => {
    const a = new MapTier('disk');
    const b = new MapTier('redis');
    await new LayeredCache<TestMeta>({ lower: [a, b] }, { hitFlushMs: 0 }).set('k', Buffer.from('v'), {
      logoType: 'mono',
    });
    expect(a.map.get('k')?.meta.logoType).toBe('mono');
    expect(b.frames.get('k')).toBe(a.frames.get('k'));
  });

  it('fills only the local tiers (memory, disk) with an entry another process stored', async () => {
    const [disk, redis] = [new MapTier('disk'), new MapTier('redis')];
    const cache = new LayeredCache<TestMeta>({ memory: mem(), lower: [disk, redis] }, { hitFlushMs: 0 });
    await cache.setLocal('k', Buffer.from('v'), { logoType: 'mono' });
    expect(cache.peek('k')?.meta).toEqual({ logoType: 'mono' });
    expect(disk.map.has('k')).toBe(true);
    expect(redis.calls.set).toBe(0);
  });

  it('skips a failing tier, opens its circuit, and closes it when the tier is back', async () => {
    let now = 0;
    const redis = new MapTier('redis');
    const cache = new LayeredCache<TestMeta>(
      { memory: mem(), lower: [redis] },
      { timeoutMs: 100, hitFlushMs: 0, breaker: { cooldownMs: 5000, now: () => now } },
    );
    await cache.set('k', Buffer.from('v'), {});
    redis.fail = true;
    for (let i = 0; i < 5; i++) expect(await cache.get('absent')).toBeUndefined();
    expect(cache.stats().redis.state).toBe('open');
    expect(cache.stats().redis.errors).toBe(3);
    expect((await cache.get('k'))?.tier).toBe('memory');
    redis.fail = false;
    now += 5000;
    expect(cache.stats().redis.state).toBe('half-open');
    await cache.get('absent');
    expect(cache.stats().redis.state).toBe('closed');
  });

  it('times out a slow tier instead of waiting for it', async () => {
    const slow = new MapTier('redis');
    slow.slowMs = 1000;
    const cache = new LayeredCache<TestMeta>({ lower: [slow] }, { timeoutMs: 50, hitFlushMs: 0 });
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats().redis.errors).toBe(1);
  });

  it('purges every tier by a label of the metadata and reports counts per tier', async () => {
    const disk = new MapTier('disk');
    const cache = new LayeredCache<TestMeta>({ memory: mem(), lower: [disk] }, { hitFlushMs: 0 });
    await cache.set('v1:r:' + 'c'.repeat(64) + ':auto.8', Buffer.from('x'), { logoType: 'raster' });
    await cache.set('other', Buffer.from('y'), { logoType: 'mono' });
    expect(await cache.purge({ label: 'logoType', value: 'raster' })).toEqual({ memory: 1, disk: 1 });
    expect((await cache.get('other'))?.tier).toBe('memory');
  });

  it('counts hits per key, flushes them, and warms memory with the most popular', async () => {
    const redis = new MapTier('redis');
    const a = new LayeredCache<TestMeta>({ memory: mem(), lower: [redis] }, { hitFlushMs: 0 });
    await a.set('popular', Buffer.from('p'), { logoType: 'mono' });
    await a.set('rare', Buffer.from('r'), { logoType: 'mono' });
    for (let i = 0; i < 3; i++) a.peek('popular');
    await a.get('rare');
    await a.flushHits();
    expect(Object.fromEntries(redis.hits)).toEqual({ popular: 3, rare: 1 });
    const b = new LayeredCache<TestMeta>({ memory: mem(), lower: [redis] }, { hitFlushMs: 0 });
    expect(b.peek('popular')).toBeUndefined();
    expect(await b.warm(1)).toBe(1);
    expect(b.peek('popular')?.value.toString()).toBe('p');
    expect(b.peek('rare')).toBeUndefined();
  });
});
