import { need, type PipelineContext } from '../context.js';
import { inkRecallOfCandidate, MIN_INK_RECALL } from '../algorithms/ink.js';
import { scoreCandidate } from '../score.js';
import type { Stage } from '../stage.js';

/**
 * Renders the SVG and compares it with the input; keeps the better attempt (clearly higher SSIM,
 * or about as good and smaller). An attempt whose render lost the input's ink (a blank or nearly
 * blank picture over a logo) is never kept, whatever its SSIM: noise on the input can make a blank
 * score well.
 */
export const score: Stage = {
  name: 'score',
  timing: 'score',
  perAttempt: true,
  run(ctx: PipelineContext) {
    const svg = need(ctx.svg, 'svg');
    const { image } = need(ctx.scoring, 'scoring');
    // The render stays in wasm: scored there, then checked for the input's ink.
    const quality = scoreCandidate(svg, need(ctx.scoring, 'scoring'));
    ctx.quality = quality;
    ctx.lost = inkRecallOfCandidate(need(ctx.ink, 'ink'), image.width * image.height) < MIN_INK_RECALL;
    const best = ctx.best;
    if (ctx.lost) return;
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
