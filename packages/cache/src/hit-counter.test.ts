import { describe, expect, it } from 'vitest';
import { HitCounter } from './hit-counter.js';
import { Layer } from './layer.js';
import { MapTier, type TestMeta } from './test-support/map-tier.js';

describe('hit counter', () => {
  it('gathers hits per key with their metadata and writes them once to every tier that keeps counters', async () => {
    const redis = new MapTier('redis');
    const seen: Array<Map<string, { n: number; meta: TestMeta }>> = [];
    redis.recordHits = async (h) => void seen.push(new Map(h));
    const memory = new MapTier('memory');
    memory.recordHits = undefined as never;
    const counter = new HitCounter<TestMeta>(
      [memory, redis].map((t) => new Layer(t, { timeoutMs: 100, hooks: {} })),
      0,
    );
    for (let i = 0; i < 3; i++) counter.note('a', { logoType: 'mono' });
    counter.note('b', {});
    await counter.flush();
    await counter.flush();
    expect(seen).toHaveLength(1);
    expect(Object.fromEntries(seen[0])).toEqual({ a: { n: 3, meta: { logoType: 'mono' } }, b: { n: 1, meta: {} } });
    counter.note('a', {});
    await counter.close();
    expect(seen).toHaveLength(2);
  });

  it('forgets pending hits a purge or delete covers, so a flush after it cannot bring counters back', async () => {
    const redis = new MapTier('redis');
    const seen: Array<Map<string, { n: number; meta: TestMeta }>> = [];
    redis.recordHits = async (h) => void seen.push(new Map(h));
    const counter = new HitCounter<TestMeta>([new Layer(redis, { timeoutMs: 100, hooks: {} })], 0);
    counter.note('a', { logoType: 'mono' });
    counter.note('b', { logoType: 'text' });
    counter.note('c', { logoType: 'mono' });
    counter.forget({ label: 'logoType', value: 'mono' });
    counter.forget({ key: 'nope' });
    await counter.flush();
    expect([...seen[0].keys()]).toEqual(['b']);
    counter.note('d', {});
    counter.forget({ key: 'd' });
    counter.note('e', {});
    counter.forget({ all: true });
    await counter.flush();
    expect(seen).toHaveLength(1);
  });
});
