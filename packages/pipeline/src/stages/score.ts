import { need, type PipelineContext } from '../context.js';
import { scoreSvg } from '../score.js';
import type { Stage } from '../stage.js';

/**
 * Renders the SVG and compares it with the input; keeps the better attempt (clearly higher SSIM,
 * or about as good and smaller).
 */
export const score: Stage = {
  name: 'score',
  timing: 'score',
  perAttempt: true,
  run(ctx: PipelineContext) {
    const svg = need(ctx.svg, 'svg');
    const quality = scoreSvg(svg, need(ctx.decoded, 'decoded').original);
    ctx.quality = quality;
    const best = ctx.best;
    if (
      !best ||
      quality.ssim > best.quality.ssim + 0.001 ||
      (quality.ssim >= best.quality.ssim - 0.001 && svg.length < best.svg.length)
    )
      ctx.best = {
        svg,
        layers: need(ctx.layers, 'layers'),
        quality,
        mono: need(ctx.plan, 'plan').mono,
        params: need(ctx.params, 'params'),
      };
  },
};
