import { outputKey, outputKeyOf, parseKey, type Conversion, type OutputOptions } from '@tracefleet/contract';
import { FORMAT_MEDIA, renderFormat, type Rendered } from '@tracefleet/formats';
import type { ConversionCache } from './cache-schema.js';

/** A result in an output format, with where its bytes came from. */
export interface Rendition extends Rendered {
  /** The output key (contract/keys.ts); the result key for SVG. */
  key: string;
  /** `miss` = rendered now; `hit-<tier>`; `source` = the SVG itself. */
  cache: string;
}

/**
 * Other formats of a finished conversion, derived from its SVG without tracing again. The bytes are
 * written to this host's tiers only (memory, disk: `setLocal`), under the output key with the result's
 * image hash, so purges of the image drop them too; they are cheap to make again, so the shared tiers
 * keep only vector results. Concurrent requests for one rendition share one render.
 */
export class Renditions {
  private readonly inflight = new Map<string, Promise<Rendition>>();

  constructor(private readonly cache: ConversionCache) {}

  render(conversion: Conversion, output: OutputOptions): Promise<Rendition> {
    if (output.format === 'svg')
      return Promise.resolve({
        key: conversion.key,
        bytes: Buffer.from(conversion.svg, 'utf8'),
        ...FORMAT_MEDIA.svg,
        cache: 'source',
      });
    const key = outputKeyOf(conversion.key, outputKey(output));
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.run(key, conversion, output).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async run(key: string, conversion: Conversion, output: OutputOptions): Promise<Rendition> {
    const hit = this.cache.peek(key) ?? (await this.cache.get(key));
    if (hit) return { key, bytes: hit.value, ...FORMAT_MEDIA[output.format], cache: `hit-${hit.tier}` };
    const { format, ...opts } = output;
    const r = await renderFormat(conversion.svg, format, opts);
    await this.cache.setLocal(key, r.bytes, { imageHash: parseKey(key)!.imageHash });
    return { key, ...r, cache: 'miss' };
  }
}
