import { labelPixels } from '../algorithms/label-pixels.js';
import { modeFilterLabels } from '../algorithms/smooth-labels.js';
import { planLayers } from '../algorithms/layers.js';
import { applyVectorOptions, minPixels } from '../algorithms/vector-options.js';
import { need, type PipelineContext } from '../context.js';
import type { Stage } from '../stage.js';
import { LABEL_SMOOTHING } from '../constants.js';

/**
 * Labels every pixel with its layer (an upscaled small input's labels smoothed by a mode filter,
 * algorithms/smooth-labels.ts) and orders the layers bottom first; then the vector options
 * (background, minArea, palette) rewrite the labels.
 */
export const layers: Stage = {
  name: 'layers',
  timing: 'trace',
  perAttempt: true,
  run(ctx: PipelineContext) {
    const { image, scale } = need(ctx.decoded, 'decoded');
    const palette = need(ctx.palette, 'palette');
    const reuse = { flat: ctx.flat, flatLabels: ctx.flatLabels };
    const labels = labelPixels(image, palette, need(ctx.lines, 'lines'), reuse, ctx.noisy);
    ctx.flatLabels = reuse.flatLabels; // taken by labelPixels when it used them
    if (scale > 1) modeFilterLabels(labels, image.width, image.height, Math.round(LABEL_SMOOTHING * scale));
    const plan = planLayers(image, labels, palette, need(ctx.features, 'features'), ctx.options);
    const smallest = minPixels(ctx.options, scale, need(ctx.params, 'params').turdsize);
    ctx.plan = { ...plan, ...applyVectorOptions(plan, ctx.options, image.width, smallest) };
  },
};
