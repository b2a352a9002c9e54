import type { CacheTier, LayeredCache, TierName } from '@tracefleet/cache';
import { outputKey, outputKeyOf, parseKey, type Conversion, type OutputOptions } from '@tracefleet/contract';
import { FORMAT_MEDIA, renderFormat, type Rendered } from '@tracefleet/formats';

/** A result in an output format, with where its bytes came from. */
export interface Rendition extends Rendered {
  /** The output key (contract/keys.ts); the result key for SVG. */
  key: string;
  /** `miss` = rendered now; `hit-memory` / `hit-disk`; `source` = the SVG itself. */
  cache: string;
}

/** Renditions are cheap to redo from the vector result: only this host's tiers keep them. */
const LOCAL_TIERS: readonly TierName[] = ['memory', 'disk'];

/**
 * Other formats of a finished conversion, derived from its SVG without tracing again. The bytes are
 * kept in the memory and disk tiers (through the tiers' own get/set, under the output key, with the
 * result's image hash so purges of the image drop them too); concurrent requests for one rendition
 * share one render.
 */
export class Renditions {
  private readonly inflight = new Map<string, Promise<Rendition>>();
  private readonly tiers: CacheTier[];

  constructor(cache: LayeredCache) {
    this.tiers = LOCAL_TIERS.map((name) => cache.tier(name)).filter((t): t is CacheTier => !!t);
  }

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
    const media = FORMAT_MEDIA[output.format];
    for (let i = 0; i < this.tiers.length; i++) {
      // A tier that fails is skipped: the rendition can always be made again.
      const hit = await this.tiers[i].get(key).catch(() => undefined);
      if (hit) {
        for (const upper of this.tiers.slice(0, i)) void upper.set(key, hit.value, undefined, hit.meta).catch(() => {});
        return { key, bytes: hit.value, ...media, cache: `hit-${this.tiers[i].name}` };
      }
    }
    const { format, ...opts } = output;
    const r = await renderFormat(conversion.svg, format, opts);
    const meta = { imageHash: parseKey(key)?.imageHash };
    await Promise.all(this.tiers.map((t) => t.set(key, r.bytes, undefined, meta).catch(() => {})));
    return { key, ...r, cache: 'miss' };
  }
}
