import { newContext, type PipelineContext } from '../context.js';
import type { Features } from '../features.js';
import { svgToPng } from '../fixtures.testkit.js';
import { DEFAULT_LIMITS, type ConvertOptions } from '../options.js';
import { startAttempt, STAGES } from '../pipeline.js';

/** A small opaque flag: red field (the border colour), white disc, blue bar. Traced at 384×256. */
export const FLAG = svgToPng(
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="64" viewBox="0 0 96 64">' +
    '<rect width="96" height="64" fill="#ff0000"/><circle cx="36" cy="32" r="18" fill="#ffffff"/>' +
    '<rect x="66" y="8" width="16" height="48" fill="#0000ff"/></svg>',
);

/** A context with every stage before `stage` run on `bytes` (per-attempt stages with the first parameter set). */
export async function contextBefore(
  stage: string,
  bytes: Uint8Array = FLAG,
  options: ConvertOptions = { mode: 'auto' },
  cachedFeatures?: Features,
): Promise<PipelineContext> {
  const ctx = newContext(bytes, options, DEFAULT_LIMITS, cachedFeatures);
  for (const s of STAGES) {
    if (s.perAttempt && !ctx.params) startAttempt(ctx, 0);
    if (s.name === stage) return ctx;
    await s.run(ctx);
  }
  throw new Error(`no stage named ${stage}`);
}
