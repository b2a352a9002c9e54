import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LayeredCache, MemoryTier } from '@tracefleet/cache';
import {
  convertImage,
  DEFAULT_LIMITS,
  normalizeOptions,
  type ConversionPool,
  type ConvertOptions,
  type Features,
} from '@tracefleet/pipeline';
import { Converter, type EntryMeta } from './index.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');

/** The real pipeline in this thread, counting its runs. */
function inThreadPool() {
  let runs = 0;
  const pool = {
    convert: (bytes: Uint8Array, options: ConvertOptions, _signal?: AbortSignal, features?: Features) => {
      runs++;
      return convertImage(bytes, options, DEFAULT_LIMITS, features);
    },
  };
  return { pool: pool as unknown as ConversionPool, runs: () => runs };
}

describe('vector options in the cache key', () => {
  it('another palette traces again; the same options in another spelling are a hit', async () => {
    const bytes = fs.readFileSync(path.join(CORPUS, 'dev-si-pagekit.png'));
    const { pool, runs } = inThreadPool();
    const c = new Converter(
      new LayeredCache<EntryMeta>(
        { memory: new MemoryTier({ maxBytes: 1 << 22, adaptive: false }) },
        { hitFlushMs: 0 },
      ),
      pool,
    );
    const red = await c.convert(bytes, normalizeOptions({ palette: 'ff0000' }));
    const blue = await c.convert(bytes, normalizeOptions({ palette: '0000ff' }));
    expect([red.cache, blue.cache]).toEqual(['miss', 'miss']);
    expect(red.svg).not.toBe(blue.svg);
    expect(runs()).toBe(2);
    const again = await c.convert(bytes, normalizeOptions({ palette: '#FF0000,#ff0000' }));
    expect(again.cache).toBe('hit-memory');
    expect(again.svg).toBe(red.svg);
    const cutter = await c.convert(bytes, normalizeOptions({ preset: 'cutter' }));
    const explicit = await c.convert(bytes, normalizeOptions({ mode: 'mono', stacking: 'cutout', curves: 'polygon' }));
    expect([cutter.cache, explicit.cache]).toEqual(['miss', 'hit-memory']);
    expect(runs()).toBe(3);
  });
});
