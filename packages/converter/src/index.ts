import { TracefleetError } from '@tracefleet/errors';
import { decodeResult, encodeResult, hashBytes, resultKey, type LayeredCache } from '@tracefleet/cache';
import { PIPELINE_VERSION, optionsKey, type ConversionPool, type ConversionResult, type ConvertOptions, type ResultMeta } from '@tracefleet/pipeline';

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

/** Cache lookup that treats an undecodable entry as a miss and removes it. */
export async function lookup(cache: LayeredCache, key: string): Promise<Omit<Converted, 'key'> | undefined> {
  const hit = await cache.get(key);
  if (!hit) return undefined;
  const r = decodeResult<ResultMeta>(hit.value);
  if (!r) {
    await cache.delete(key);
    return undefined;
  }
  return { svg: r.svg, meta: r.meta, cache: `hit-${hit.tier}` };
}

/**
 * Cache-first conversion used by workers and the CLI: consult every tier, else run the pipeline in
 * the thread pool and write the result to every tier. Concurrent calls for one key share one run.
 */
export class Converter {
  private readonly inflight = new Map<string, Promise<Converted>>();

  constructor(private readonly cache: LayeredCache, private readonly pool: ConversionPool) {}

  convert(bytes: Uint8Array, options: ConvertOptions, known?: { key: string }): Promise<Converted> {
    const key = known?.key ?? cacheKeyFor(bytes, options).key;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.run(key, bytes, options).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async run(key: string, bytes: Uint8Array, options: ConvertOptions): Promise<Converted> {
    const cached = await lookup(this.cache, key);
    if (cached) return { key, ...cached };
    const result: ConversionResult = await this.pool.convert(bytes, options);
    if (!result.svg.startsWith('<svg')) throw new TracefleetError('PIPELINE_FAILED', 'pipeline produced no SVG');
    await this.cache.set(key, encodeResult(result));
    return { key, svg: result.svg, meta: result.meta, cache: 'miss' };
  }
}
