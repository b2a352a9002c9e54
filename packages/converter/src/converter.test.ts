import { describe, expect, it } from 'vitest';
import { LayeredCache, MemoryTier, featuresKey, decodeFeatures } from '@tracefleet/cache';
import {
  FEATURES_VERSION,
  type ConversionPool,
  type ConversionResult,
  type ConvertOptions,
  type Features,
} from '@tracefleet/pipeline';
import { Converter, cacheKeyFor } from './index.js';

/** A pool that records its calls and answers after a tick. */
function fakePool() {
  const calls: Array<{ options: ConvertOptions; features?: Features }> = [];
  const pool = {
    async convert(
      _bytes: Uint8Array,
      options: ConvertOptions,
      _signal?: AbortSignal,
      features?: Features,
    ): Promise<ConversionResult> {
      calls.push({ options, features });
      await new Promise((r) => setTimeout(r, 20));
      const f = features ?? ({ version: FEATURES_VERSION, width: 10, height: 10 } as unknown as Features);
      return {
        svg: `<svg data-mode="${options.mode}"/>`,
        meta: { logoType: 'simple', quality: { ssim: 0.99 }, bytes: 20 },
        features: f,
      } as unknown as ConversionResult;
    },
  };
  return { pool: pool as unknown as ConversionPool, calls };
}

const mem = () => new LayeredCache([new MemoryTier({ maxBytes: 1 << 20, adaptive: false })], { hitFlushMs: 0 });
const bytes = Buffer.from('not really an image, the pool is fake');
const auto: ConvertOptions = { mode: 'auto', colors: 8 } as ConvertOptions;
const mono: ConvertOptions = { mode: 'mono', colors: 2 } as ConvertOptions;

describe('converter', () => {
  it('runs one conversion for concurrent identical requests (single flight), then answers from the cache', async () => {
    const { pool, calls } = fakePool();
    const c = new Converter(mem(), pool);
    const all = await Promise.all(Array.from({ length: 10 }, () => c.convert(bytes, auto)));
    expect(calls).toHaveLength(1);
    expect(new Set(all.map((r) => r.cache))).toEqual(new Set(['miss']));
    expect((await c.convert(bytes, auto)).cache).toBe('hit-memory');
    expect(calls).toHaveLength(1);
  });

  it('stores features in their own key space and passes them to the next conversion of the same image', async () => {
    const { pool, calls } = fakePool();
    const cache = mem();
    const c = new Converter(cache, pool);
    await c.convert(bytes, auto);
    expect(calls[0].features).toBeUndefined();
    const { imageHash } = cacheKeyFor(bytes, auto);
    const stored = cache.peek(featuresKey(imageHash, FEATURES_VERSION));
    expect(decodeFeatures(stored!.value)).toMatchObject({ version: FEATURES_VERSION, width: 10 });
    const r = await c.convert(bytes, mono);
    expect(r.cache).toBe('miss');
    expect(calls[1].features).toMatchObject({ version: FEATURES_VERSION, width: 10 });
  });

  it('drops features of another extractor version instead of passing them on', async () => {
    const { pool, calls } = fakePool();
    const cache = mem();
    const { imageHash } = cacheKeyFor(bytes, auto);
    await cache.set(featuresKey(imageHash, FEATURES_VERSION), Buffer.from(JSON.stringify({ version: 'old' })));
    await new Converter(cache, pool).convert(bytes, auto);
    expect(calls[0].features).toBeUndefined();
  });
});
