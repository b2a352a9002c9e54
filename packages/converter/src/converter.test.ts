import { describe, expect, it } from 'vitest';
import { LayeredCache, MemoryTier, type CacheTier } from '@tracefleet/cache';
import { featuresKey, type ResultMeta } from '@tracefleet/contract';
import {
  FEATURES_VERSION,
  type ConversionPool,
  type ConversionResult,
  type ConvertOptions,
  type Features,
} from '@tracefleet/pipeline';
import {
  Converter,
  cacheKeyFor,
  decodeFeatures,
  decodeResult,
  encodeFeatures,
  encodeResult,
  keepLocally,
  lookup,
  purgeFilterOf,
  type EntryMeta,
} from './index.js';

/** A complete, valid result meta (entries are validated when read back). */
export const META: ResultMeta = {
  pipelineVersion: '0',
  featuresVersion: '0',
  width: 10,
  height: 10,
  bytes: 20,
  paths: 1,
  colors: ['#000000'],
  gradients: 0,
  logoType: 'simple',
  mode: 'color',
  params: { turdsize: 2, alphamax: 1, opticurve: true, opttolerance: 0.2, turnpolicy: 4, maxColors: 8 },
  retried: false,
  quality: { ssim: 0.99, ssimGrey: 0.99, badPixelShare: 0 },
  timings: { total: 1 },
};

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
        meta: META,
        features: f,
      } as unknown as ConversionResult;
    },
  };
  return { pool: pool as unknown as ConversionPool, calls };
}

const mem = () =>
  new LayeredCache<EntryMeta>({ memory: new MemoryTier({ maxBytes: 1 << 20, adaptive: false }) }, { hitFlushMs: 0 });
const bytes = Buffer.from('not really an image, the pool is fake');
const auto: ConvertOptions = { mode: 'auto', colors: 8 } as ConvertOptions;
const mono: ConvertOptions = { mode: 'mono', colors: 2 } as ConvertOptions;

describe('converter', () => {
  it('looks up the result and the features at once: one walk down a slow tier, not two in a row', async () => {
    const requested: string[] = [];
    const seenWhenAnswered: number[] = [];
    const slow = {
      name: 'redis',
      async get(key: string) {
        requested.push(key);
        await new Promise((r) => setTimeout(r, 20));
        seenWhenAnswered.push(requested.length);
        return undefined;
      },
      set: async () => undefined,
      delete: async () => undefined,
      purge: async () => 0,
      entries: async function* () {},
      clear: async () => undefined,
      stats: () => ({ evictions: 0, corrupt: 0 }),
      close: async () => undefined,
    } as unknown as CacheTier<EntryMeta>;
    const cache = new LayeredCache<EntryMeta>(
      { memory: new MemoryTier({ maxBytes: 1 << 20, adaptive: false }), lower: [slow] },
      { hitFlushMs: 0 },
    );
    const { key, imageHash } = cacheKeyFor(bytes, auto);
    await new Converter(cache, fakePool().pool).convert(bytes, auto);
    expect(requested).toEqual([key, featuresKey(imageHash, FEATURES_VERSION)]);
    expect(seenWhenAnswered[0]).toBe(2);
    await cache.close();
  });

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
    await cache.set(featuresKey(imageHash, FEATURES_VERSION), Buffer.from(JSON.stringify({ version: 'old' })), {
      imageHash,
    });
    await new Converter(cache, pool).convert(bytes, auto);
    expect(calls[0].features).toBeUndefined();
  });

  it('decodes only well-formed results and features', () => {
    expect(decodeResult(encodeResult({ svg: '<svg/>', meta: META }))?.meta).toEqual(META);
    expect(decodeResult(Buffer.from(JSON.stringify({ svg: '<script>', meta: META })))).toBeUndefined();
    expect(decodeResult(Buffer.from(JSON.stringify({ svg: '<svg/>', meta: { a: 1 } })))).toBeUndefined();
    expect(decodeResult(Buffer.from('not json'))).toBeUndefined();
    expect(decodeFeatures(encodeFeatures({ colours: 3 }))).toEqual({ colours: 3 });
    expect(decodeFeatures(Buffer.from('[1]'))).toBeUndefined();
  });

  it('stores results and features with the labels the tiers index: image hash and logo type', async () => {
    const { pool } = fakePool();
    const cache = mem();
    await new Converter(cache, pool).convert(bytes, auto);
    const { key, imageHash } = cacheKeyFor(bytes, auto);
    expect(cache.peek(key)?.meta).toEqual({ imageHash, logoType: 'simple', quality: META.quality });
    expect(cache.peek(featuresKey(imageHash, FEATURES_VERSION))?.meta).toEqual({ imageHash });
    expect(await cache.purge(purgeFilterOf({ logoType: 'simple' }))).toEqual({ memory: 1 });
    expect(await cache.purge(purgeFilterOf({ imageHash }))).toEqual({ memory: 1 });
  });

  it('keeps a conversion another process produced in the local tiers, as a memory hit', async () => {
    const cache = mem();
    const { key } = cacheKeyFor(bytes, auto);
    await keepLocally(cache, { key, svg: '<svg/>', meta: META, cache: 'miss' });
    expect(await lookup(cache, key)).toEqual({ key, svg: '<svg/>', meta: META, cache: 'hit-memory' });
  });
});
