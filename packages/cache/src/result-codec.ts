/**
 * What a result entry holds: the SVG with its metadata. Decoding validates the shape, so a
 * damaged or foreign value is a miss, never a poisoned answer.
 */
export interface CachedResult<M = Record<string, unknown>> {
  svg: string;
  meta: M;
}

export function encodeResult(r: CachedResult<unknown>): Buffer {
  return Buffer.from(JSON.stringify({ svg: r.svg, meta: r.meta }));
}

export function decodeResult<M = Record<string, unknown>>(buf: Buffer): CachedResult<M> | undefined {
  try {
    const v = JSON.parse(buf.toString('utf8')) as CachedResult<M>;
    if (typeof v?.svg !== 'string' || !v.svg.startsWith('<svg') || typeof v.meta !== 'object' || v.meta === null)
      return undefined;
    return v;
  } catch {
    return undefined;
  }
}

/** Features entries (own key space): any JSON object, validated as one on read. */
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
