import { need, newContext, type PipelineContext } from './context.js';
import type { Features } from './features.js';
import type { ConvertOptions, Limits } from './options.js';
import { QUALITY_FLOOR } from './params.js';
import type { ConversionResult } from './result.js';
import type { Stage } from './stage.js';
import { classify } from './stages/classify.js';
import { decode } from './stages/decode.js';
import { features } from './stages/features.js';
import { layers } from './stages/layers.js';
import { palette } from './stages/palette.js';
import { score } from './stages/score.js';
import { svg } from './stages/svg.js';
import { trace } from './stages/trace.js';
import { PIPELINE_VERSION } from './version.js';

/**
 * The conversion, in order. The stages marked perAttempt run once per parameter set: a second set
 * is tried when the first scores under QUALITY_FLOOR, and the score stage keeps the better result.
 */
export const STAGES: readonly Stage[] = [decode, features, classify, palette, layers, trace, svg, score];

/** Runs STAGES over the context, timing each stage into `timings` (ms, by Stage.timing). */
export async function runStages(ctx: PipelineContext, timings: Record<string, number>): Promise<void> {
  const start = performance.now();
  const timed = async (stage: Stage, retry: boolean) => {
    const t = performance.now();
    await stage.run(ctx);
    const key = retry ? `retry${stage.timing[0].toUpperCase()}${stage.timing.slice(1)}` : stage.timing;
    timings[key] = Math.round(((timings[key] ?? 0) + performance.now() - t) * 100) / 100;
  };
  for (const stage of STAGES) if (!stage.perAttempt) await timed(stage, false);
  const sets = need(ctx.paramSets, 'paramSets');
  for (let i = 0; i < sets.length; i++) {
    startAttempt(ctx, i);
    for (const stage of STAGES) if (stage.perAttempt) await timed(stage, i > 0);
    if (need(ctx.quality, 'quality').ssim >= QUALITY_FLOOR) break;
  }
  timings.total = Math.round((performance.now() - start) * 100) / 100;
}

/** Sets the context up for tracing attempt `i` (parameter set i). */
export function startAttempt(ctx: PipelineContext, i: number): void {
  ctx.params = need(ctx.paramSets, 'paramSets')[i];
  ctx.retried = i > 0;
}

/**
 * The whole conversion of one image, in the calling thread. `features` from a cache skip the
 * extraction (they must come from the same image and FEATURES_VERSION).
 */
export async function convertImage(
  bytes: Uint8Array,
  options: ConvertOptions,
  limits: Limits,
  cachedFeatures?: Features,
): Promise<ConversionResult> {
  const ctx = newContext(bytes, options, limits, cachedFeatures);
  const timings: Record<string, number> = {};
  await runStages(ctx, timings);
  const r = need(ctx.best, 'best');
  const { original } = need(ctx.decoded, 'decoded');
  const f = need(ctx.features, 'features');
  return {
    svg: r.svg,
    features: f,
    meta: {
      pipelineVersion: PIPELINE_VERSION,
      featuresVersion: f.version,
      width: original.width,
      height: original.height,
      bytes: Buffer.byteLength(r.svg),
      paths: r.layers.length,
      colors: r.layers.map((l) => '#' + l.color.toString(16).padStart(6, '0')),
      gradients: r.layers.filter((l) => l.gradient).length,
      logoType: f.logoType,
      mode: r.mono ? 'mono' : 'color',
      params: r.params,
      retried: ctx.retried,
      quality: r.quality,
      timings,
    },
  };
}
