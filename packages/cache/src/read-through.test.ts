import { describe, expect, it } from 'vitest';
import { OutgoingEntry } from './entry.js';
import { Layer } from './layer.js';
import { readThrough, writeThrough } from './read-through.js';
import { MapTier, type TestMeta } from './test-support/map-tier.js';

const layer = (t: MapTier, timeoutMs = 100) => new Layer<TestMeta>(t, { timeoutMs, hooks: {}, ttlSeconds: 60 });
const tick = () => new Promise((r) => setImmediate(r));

describe('read-through walk', () => {
  it('walks down to the first hit and fills the tiers above it with value and metadata', async () => {
    const [mem, disk, redis] = [new MapTier('memory'), new MapTier('disk'), new MapTier('redis')];
    redis.map.set('k', { value: Buffer.from('v'), meta: { logoType: 'flag' } });
    const layers = [mem, disk, redis].map((t) => layer(t));
    const r = await readThrough(layers, 'k');
    expect(r?.layer.name).toBe('redis');
    expect(r?.found.meta).toEqual({ logoType: 'flag' });
    await tick();
    expect(mem.map.get('k')?.meta).toEqual({ logoType: 'flag' });
    expect(disk.map.get('k')?.value.toString()).toBe('v');
    expect(disk.ttls.get('k')).toBe(60);
    expect(layers.map((l) => [l.counters.hits, l.counters.misses])).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
  });

  it('passes a failing tier and still finds the entry below it', async () => {
    const [disk, redis] = [new MapTier('disk'), new MapTier('redis')];
    disk.fail = true;
    redis.map.set('k', { value: Buffer.from('v'), meta: {} });
    const layers = [layer(disk), layer(redis)];
    expect((await readThrough(layers, 'k'))?.layer.name).toBe('redis');
    expect(layers[0].guard.errors).toBe(1);
    expect(await readThrough(layers, 'absent')).toBeUndefined();
  });

  it('writes to every tier with one frame: the value is compressed once for all byte tiers', async () => {
    const tiers = [new MapTier('memory'), new MapTier('disk'), new MapTier('redis'), new MapTier('mongo')];
    tiers[3].fail = true;
    const layers = tiers.map((t) => layer(t));
    const entry = new OutgoingEntry<TestMeta>(Buffer.from('<svg/>'.repeat(100)), { logoType: 'mono' });
    await writeThrough(layers, 'k', entry);
    expect(tiers[1].frames.get('k')).toBe(tiers[2].frames.get('k'));
    expect(layers.map((l) => l.counters.sets)).toEqual([1, 1, 1, 0]);
  });
});
