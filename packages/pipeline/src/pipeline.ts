import { TracefleetError } from '@tracefleet/errors';
import { medianCopy } from './algorithms/denoise.js';
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
 * When every attempt lost the input's ink (score stage), the fallback strategy re-runs the stages
 * after decode on a harder-denoised tracing copy; when that loses it too, the conversion fails
 * with UNTRACEABLE instead of answering an empty picture.
 */
export const STAGES: readonly Stage[] = [decode, features, classify, palette, layers, trace, svg, score];

/** Runs STAGES over the context, timing each stage into `timings` (ms, by Stage.timing). */
export async function runStages(ctx: PipelineContext, timings: Record<string, number>): Promise<void> {
  const start = performance.now();
  let tries = 0;
  const timed = async (stage: Stage, retry: boolean) => {
    const t = performance.now();
    await stage.run(ctx);
    const key = retry ? `retry${stage.timing[0].toUpperCase()}${stage.timing.slice(1)}` : stage.timing;
    timings[key] = Math.round(((timings[key] ?? 0) + performance.now() - t) * 100) / 100;
  };
  for (const stage of STAGES) if (!stage.perAttempt) await timed(stage, false);
  ctx.inputFeatures = ctx.features;
  for (ctx.strategy = 0; ctx.strategy < 2 && !ctx.best; ctx.strategy++) {
    if (ctx.strategy === 1) {
      const decoded = need(ctx.decoded, 'decoded');
      const t = performance.now();
      ctx.decoded = { ...decoded, image: await medianCopy(decoded.image, 5), noisy: true };
      ctx.noisy = true;
      timings.retryDecode = Math.round((performance.now() - t) * 100) / 100;
      for (const stage of STAGES) if (!stage.perAttempt && stage !== decode) await timed(stage, true);
    }
    const sets = need(ctx.paramSets, 'paramSets');
    for (let i = 0; i < sets.length; i++) {
      startAttempt(ctx, i, tries++);
      try {
        for (const stage of STAGES) if (stage.perAttempt) await timed(stage, ctx.retried);
      } catch (err) {
        // A retry (more colours) over the output budget leaves the first result standing.
        if (ctx.best && err instanceof TracefleetError && err.code === 'IMAGE_TOO_COMPLEX') break;
        throw err;
      }
      if (!ctx.lost && need(ctx.quality, 'quality').ssim >= QUALITY_FLOOR) break;
    }
  }
  timings.total = Math.round((performance.now() - start) * 100) / 100;
  if (!ctx.best)
    throw new TracefleetError(
      'UNTRACEABLE',
      `no tracing strategy kept the image's shapes: all ${tries} attempts lost most of its ink (a blank picture is no result)`,
    );
}

/** Sets the context up for tracing attempt `i` (parameter set i); `tries` attempts ran before it. */
export function startAttempt(ctx: PipelineContext, i: number, tries = i): void {
  ctx.params = need(ctx.paramSets, 'paramSets')[i];
  ctx.retried = tries > 0;
}

/**
 * The whole conversion of one image, in the calling thread. `features` from a cache skip the
 * extraction (they must come from the same image and FEATURES_VERSION). `deadline` (epoch ms) is
 * when the pool gives up on the conversion: native decoding stops there too.
 */
export async function convertImage(
  bytes: Uint8Array,
  options: ConvertOptions,
  limits: Limits,
  cachedFeatures?: Features,
  deadline?: number,
): Promise<ConversionResult> {
  const ctx = newContext(bytes, options, limits, cachedFeatures, deadline);
  const timings: Record<string, number> = {};
  await runStages(ctx, timings);
  const r = need(ctx.best, 'best');
  const { original } = need(ctx.decoded, 'decoded');
  const f = need(ctx.features, 'features');
  return {
    svg: r.svg,
    features: need(ctx.inputFeatures, 'inputFeatures'),
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
