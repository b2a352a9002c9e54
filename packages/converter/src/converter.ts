import { TracefleetError } from '@tracefleet/errors';
import {
  featuresKey,
  hashBytes,
  imageHashOf,
  optionsKey,
  resultKey,
  type Conversion,
  type ConvertOptions,
} from '@tracefleet/contract';
import { SingleFlight } from '@tracefleet/cache';
import { FEATURES_VERSION, PIPELINE_VERSION, type ConversionPool } from '@tracefleet/pipeline';
import type { ConversionCache } from './cache-schema.js';
import { encodeFeatures, resultEntryOf } from './entry-codec.js';
import { lookup, lookupFeatures } from './lookup.js';

/** The result key of an image and options under the running pipeline version. */
export function cacheKeyFor(bytes: Uint8Array, options: ConvertOptions): { key: string; imageHash: string } {
  const imageHash = hashBytes(bytes);
  return { key: resultKey(imageHash, optionsKey(options), PIPELINE_VERSION), imageHash };
}

/**
 * Cache-first conversion used by workers and the CLI: consult every tier, else run the pipeline in
 * the thread pool (with the image's cached features, when any tier has them) and write the result
 * and the features to every tier. Concurrent calls for one key share one run (single flight).
 */
export class Converter {
  private readonly inflight = new SingleFlight<Conversion>();

  constructor(
    private readonly cache: ConversionCache,
    private readonly pool: ConversionPool,
  ) {}

  /** `key` when the caller already has it (a job carries its key); computed from the bytes otherwise. */
  convert(bytes: Uint8Array, options: ConvertOptions, key?: string): Promise<Conversion> {
    const k = key ? { key, imageHash: imageHashOf(key) ?? hashBytes(bytes) } : cacheKeyFor(bytes, options);
    return this.inflight.run(k.key, () => this.run(k.key, k.imageHash, bytes, options));
  }

  /**
   * The cached result of a key, or undefined: what a re-delivered job answers with when its upload is
   * already gone (a worker stored the result, released the upload and died before the queue recorded
   * the completion).
   */
  cached(key: string): Promise<Conversion | undefined> {
    return lookup(this.cache, key);
  }

  private async run(key: string, imageHash: string, bytes: Uint8Array, options: ConvertOptions): Promise<Conversion> {
    // A job reaches a worker after the API found no result in the cache, so the result lookup nearly
    // always misses: the image's features are looked up beside it, one walk down the tiers (one
    // Redis round trip) instead of two in a row.
    const [cached, features] = await Promise.all([lookup(this.cache, key), lookupFeatures(this.cache, imageHash)]);
    if (cached) return cached;
    const result = await this.pool.convert(bytes, options, undefined, features);
    if (!result.svg.startsWith('<svg')) throw new TracefleetError('PIPELINE_FAILED', 'pipeline produced no SVG');
    const { svg, meta } = result;
    const entry = resultEntryOf(imageHash, { svg, meta });
    await Promise.all([
      this.cache.set(key, entry.value, entry.meta),
      !features && result.features
        ? this.cache.set(featuresKey(imageHash, FEATURES_VERSION), encodeFeatures(result.features), { imageHash })
        : undefined,
    ]);
    return { key, svg, meta, cache: 'miss' };
  }
}
