import { describe, expect, it } from 'vitest';
import { Layer } from './layer.js';
import { MapTier, type TestMeta } from './test-support/map-tier.js';
import { warmMemory } from './warming.js';

const layer = (t: MapTier) => new Layer<TestMeta>(t, { timeoutMs: 100, hooks: {} });

describe('warming', () => {
  it('loads the most requested entries into memory, read through the tiers below', async () => {
    const [memory, disk, redis] = [new MapTier('memory'), new MapTier('disk'), new MapTier('redis')];
    disk.popular = undefined as never;
    for (const [k, n] of [
      ['hot', 9],
      ['warm', 5],
      ['cold', 1],
      ['gone', 7],
    ] as const)
      redis.hits.set(k, n);
    disk.map.set('hot', { value: Buffer.from('h'), meta: { logoType: 'mono' } });
    redis.map.set('warm', { value: Buffer.from('w'), meta: {} });
    redis.map.set('cold', { value: Buffer.from('c'), meta: {} });
    memory.map.set('warm', { value: Buffer.from('w'), meta: {} });
    expect(await warmMemory(layer(memory), [layer(disk), layer(redis)], 3)).toBe(1);
    expect(memory.map.get('hot')).toEqual({ value: Buffer.from('h'), meta: { logoType: 'mono' } });
    expect(memory.map.has('cold')).toBe(false);
  });

  it('loads nothing when no tier keeps hit counters or the one that does fails', async () => {
    const memory = new MapTier('memory');
    const redis = new MapTier('redis');
    redis.fail = true;
    expect(await warmMemory(layer(memory), [layer(redis)], 10)).toBe(0);
    const plain = new MapTier('disk');
    plain.popular = undefined as never;
    expect(await warmMemory(layer(memory), [layer(plain)], 10)).toBe(0);
  });
});
