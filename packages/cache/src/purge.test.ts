import { describe, expect, it } from 'vitest';
import type { CacheEvent } from './bus.js';
import { Layer } from './layer.js';
import { deleteFromLayers, purgeLayers } from './purge.js';
import { RemoteInvalidation } from './remote-invalidation.js';
import { MapTier, type TestMeta } from './test-support/map-tier.js';

const layer = (t: MapTier) => new Layer<TestMeta>(t, { timeoutMs: 100, hooks: {} });
function filled() {
  const tiers = [new MapTier('memory'), new MapTier('disk'), new MapTier('redis')];
  for (const t of tiers) {
    t.map.set('a', { value: Buffer.from('a'), meta: { imageHash: 'h1', logoType: 'mono' } });
    t.map.set('b', { value: Buffer.from('b'), meta: { imageHash: 'h2', logoType: 'mono' } });
    t.map.set('c', { value: Buffer.from('c'), meta: { imageHash: 'h2', logoType: 'flag' } });
  }
  return { tiers, layers: tiers.map(layer) };
}

describe('purge', () => {
  it('purges every tier by label and counts per tier; a failing tier reports an error', async () => {
    const { tiers, layers } = filled();
    tiers[2].fail = true;
    expect(await purgeLayers(layers, { label: 'logoType', value: 'mono' })).toEqual({
      memory: 2,
      disk: 2,
      redis: 'error',
    });
    expect([...tiers[0].map.keys()]).toEqual(['c']);
    await deleteFromLayers(layers, 'c');
    expect(tiers[1].map.size).toBe(0);
  });
});

describe('remote invalidation', () => {
  function bus() {
    let handler: ((ev: CacheEvent) => void) | undefined;
    const published: CacheEvent[] = [];
    return {
      published,
      deliver: (ev: CacheEvent) => handler?.(ev),
      onEvent: (fn: (ev: CacheEvent) => void) => void (handler = fn),
      publish: async (ev: CacheEvent) => void published.push(ev),
    };
  }

  it("applies another process's purge and delete to the local tiers only (memory, disk)", async () => {
    const { tiers, layers } = filled();
    const b = bus();
    const inv = new RemoteInvalidation(b, layers, undefined);
    await inv.apply({ op: 'purge', filter: { label: 'imageHash', value: 'h2' } });
    expect([...tiers[0].map.keys()]).toEqual(['a']);
    expect([...tiers[1].map.keys()]).toEqual(['a']);
    expect(tiers[2].map.size).toBe(3);
    await inv.apply({ op: 'delete', key: 'a' });
    expect(tiers[0].map.size + tiers[1].map.size).toBe(0);
    await inv.publish({ op: 'delete', key: 'x' });
    expect(b.published).toEqual([{ op: 'delete', key: 'x' }]);
  });

  it('reports a failed publish instead of throwing', async () => {
    const errors: string[] = [];
    const b = { ...bus(), publish: () => Promise.reject(new Error('no redis')) };
    const inv = new RemoteInvalidation(b, [], undefined, (tier, op) => errors.push(`${tier} ${op}`));
    await inv.publish({ op: 'delete', key: 'x' });
    expect(errors).toEqual(['redis publish']);
  });
});
