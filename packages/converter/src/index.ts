import { TracefleetError } from '@tracefleet/errors';
import {
  decodeFeatures,
  decodeResult,
  type CachedResult,
  encodeFeatures,
  encodeResult,
  featuresKey,
  hashBytes,
  imageHashOf,
  resultKey,
  type LayeredCache,
} from '@tracefleet/cache';
import {
  FEATURES_VERSION,
  PIPELINE_VERSION,
  optionsKey,
  type ConversionPool,
  type ConversionResult,
  type ConvertOptions,
  type Features,
  type ResultMeta,
} from '@tracefleet/pipeline';

export interface Converted {
  key: string;
  svg: string;
  meta: ResultMeta;
  /** 'miss' = traced now; `hit-<tier>` = answered by that cache tier. */
  cache: string;
}

export function cacheKeyFor(bytes: Uint8Array, options: ConvertOptions): { key: string; imageHash: string } {
  const imageHash = hashBytes(bytes);
  return { key: resultKey(imageHash, optionsKey(options), PIPELINE_VERSION), imageHash };
}

/** Decoded results by entry buffer: a memory-tier hit returns the same Buffer, so it is parsed once. */
const decoded = new WeakMap<Buffer, CachedResult<ResultMeta>>();

/** Cache lookup that treats an undecodable entry as a miss and removes it. A memory hit costs no tick. */
export async function lookup(cache: LayeredCache, key: string): Promise<Omit<Converted, 'key'> | undefined> {
  const hit = cache.peek(key) ?? (await cache.get(key));
  if (!hit) return undefined;
  let r = decoded.get(hit.value);
  if (!r) {
    r = decodeResult<ResultMeta>(hit.value);
    if (r) decoded.set(hit.value, r);
  }
  if (!r) {
    await cache.delete(key);
    return undefined;
  }
  return { svg: r.svg, meta: r.meta, cache: `hit-${hit.tier}` };
}

/** Features of an image from their own key space (image hash + extractor version). */
export async function lookupFeatures(cache: LayeredCache, imageHash: string): Promise<Features | undefined> {
  const key = featuresKey(imageHash, FEATURES_VERSION);
  const hit = cache.peek(key) ?? (await cache.get(key));
  const f = hit && decodeFeatures<Features>(hit.value);
  if (hit && (!f || f.version !== FEATURES_VERSION)) {
    await cache.delete(key);
    return undefined;
  }
  return f;
}

/**
 * Cache-first conversion used by workers and the CLI: consult every tier, else run the pipeline in
 * the thread pool (with the image's cached features, when any tier has them) and write the result
 * and the features to every tier. Concurrent calls for one key share one run (single flight).
 */
export class Converter {
  private readonly inflight = new Map<string, Promise<Converted>>();

  constructor(
    private readonly cache: LayeredCache,
    private readonly pool: ConversionPool,
  ) {}

  convert(bytes: Uint8Array, options: ConvertOptions, known?: { key: string; imageHash?: string }): Promise<Converted> {
    const k = known
      ? { key: known.key, imageHash: known.imageHash ?? imageHashOf(known.key) ?? hashBytes(bytes) }
      : cacheKeyFor(bytes, options);
    const running = this.inflight.get(k.key);
    if (running) return running;
    const p = this.run(k.key, k.imageHash, bytes, options).finally(() => this.inflight.delete(k.key));
    this.inflight.set(k.key, p);
    return p;
  }

  private async run(key: string, imageHash: string, bytes: Uint8Array, options: ConvertOptions): Promise<Converted> {
    const cached = await lookup(this.cache, key);
    if (cached) return { key, ...cached };
    const features = await lookupFeatures(this.cache, imageHash);
    const result: ConversionResult = await this.pool.convert(bytes, options, undefined, features);
    if (!result.svg.startsWith('<svg')) throw new TracefleetError('PIPELINE_FAILED', 'pipeline produced no SVG');
    const quality = result.meta.quality as unknown as Record<string, number>;
    await Promise.all([
      this.cache.set(key, encodeResult(result), { imageHash, logoType: result.meta.logoType, quality }),
      !features && result.features
        ? this.cache.set(featuresKey(imageHash, FEATURES_VERSION), encodeFeatures(result.features), { imageHash })
        : undefined,
    ]);
    return { key, svg: result.svg, meta: result.meta, cache: 'miss' };
  }
}
