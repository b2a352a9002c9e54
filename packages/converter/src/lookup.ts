import { featuresKey, type Conversion, type ResultEntry } from '@tracefleet/contract';
import type { LayeredCache } from '@tracefleet/cache';
import { FEATURES_VERSION, type Features } from '@tracefleet/pipeline';
import { decodeFeatures, decodeResult } from './entry-codec.js';

/**
 * Decoded results by entry buffer: a memory-tier hit returns the same Buffer, so it is parsed and
 * validated once, not on every hit (a memo of a pure function; entries are never mutated).
 */
const decoded = new WeakMap<Buffer, ResultEntry>();

/** Cache lookup that treats an undecodable entry as a miss and removes it. A memory hit costs no tick. */
export async function lookup(cache: LayeredCache, key: string): Promise<Conversion | undefined> {
  const hit = cache.peek(key) ?? (await cache.get(key));
  if (!hit) return undefined;
  let r = decoded.get(hit.value);
  if (!r) {
    r = decodeResult(hit.value);
    if (r) decoded.set(hit.value, r);
  }
  if (!r) {
    await cache.delete(key);
    return undefined;
  }
  return { key, svg: r.svg, meta: r.meta, cache: `hit-${hit.tier}` };
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
