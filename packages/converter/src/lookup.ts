import { featuresKey, imageHashOf, type Conversion, type ResultEntry } from '@tracefleet/contract';
import { FEATURES_VERSION, type Features } from '@tracefleet/pipeline';
import type { ConversionCache } from './cache-schema.js';
import { decodeFeatures, decodeResult, resultEntryOf } from './entry-codec.js';

/**
 * Decoded results by entry buffer: a memory-tier hit returns the same Buffer, so it is parsed and
 * validated once, not on every hit (a memo of a pure function; entries are never mutated).
 */
const decoded = new WeakMap<Buffer, ResultEntry>();

/** Cache lookup that treats an undecodable entry as a miss and removes it. A memory hit costs no tick. */
export async function lookup(cache: ConversionCache, key: string): Promise<Conversion | undefined> {
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
export async function lookupFeatures(cache: ConversionCache, imageHash: string): Promise<Features | undefined> {
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
 * Keeps a conversion that another process produced (a job a worker ran) in this process's memory
 * and this host's disk tiers, so the next identical request is a local hit. The worker already
 * wrote it to the shared tiers.
 */
export async function keepLocally(cache: ConversionCache, c: Conversion): Promise<void> {
  const imageHash = imageHashOf(c.key);
  if (!imageHash) return;
  const entry = resultEntryOf(imageHash, { svg: c.svg, meta: c.meta });
  await cache.setLocal(c.key, entry.value, entry.meta);
}
