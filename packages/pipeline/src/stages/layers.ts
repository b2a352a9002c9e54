import { labelPixels } from '../algorithms/label-pixels.js';
import { planLayers } from '../algorithms/layers.js';
import { need, type PipelineContext } from '../context.js';
import type { Stage } from '../stage.js';

/** Labels every pixel with its layer and orders the layers bottom first. */
export const layers: Stage = {
  name: 'layers',
  timing: 'trace',
  perAttempt: true,
  run(ctx: PipelineContext) {
    const { image } = need(ctx.decoded, 'decoded');
    const palette = need(ctx.palette, 'palette');
    const reuse = { flat: ctx.flat, flatLabels: ctx.flatLabels };
    const labels = labelPixels(image, palette, need(ctx.lines, 'lines'), reuse, ctx.noisy);
    ctx.plan = planLayers(image, labels, palette, need(ctx.features, 'features'), ctx.options);
  },
};
