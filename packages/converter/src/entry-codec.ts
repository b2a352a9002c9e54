import { isValid, ResultEntrySchema, type ResultEntry } from '@tracefleet/contract';
import type { EntryMeta } from './cache-schema.js';

/**
 * The bytes of the two entry families this service keeps in the cache. Decoding validates the
 * shape, so a damaged, foreign or older-shaped value is a miss, never a poisoned answer.
 */
export function encodeResult(r: ResultEntry): Buffer {
  return Buffer.from(JSON.stringify({ svg: r.svg, meta: r.meta }));
}

/** A result as the cache stores it: its bytes, and the metadata the tiers index (image hash, logo type). */
export function resultEntryOf(imageHash: string, r: ResultEntry): { value: Buffer; meta: EntryMeta } {
  return {
    value: encodeResult(r),
    meta: { imageHash, logoType: r.meta.logoType, quality: { ...r.meta.quality } },
  };
}

export function decodeResult(buf: Buffer): ResultEntry | undefined {
  try {
    const v = JSON.parse(buf.toString('utf8')) as unknown;
    return isValid(ResultEntrySchema, v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Features (their own key space): any JSON object, validated as one on read. */
export function encodeFeatures(f: unknown): Buffer {
  return Buffer.from(JSON.stringify(f));
}

export function decodeFeatures<F = Record<string, unknown>>(buf: Buffer): F | undefined {
  try {
    const v = JSON.parse(buf.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as F) : undefined;
  } catch {
    return undefined;
  }
}
