import { layerPalette } from '../algorithms/layer-palette.js';
import { need, type PipelineContext } from '../context.js';
import type { Stage } from '../stage.js';

/** The colours this attempt draws: the features palette capped by the parameter set. */
export const palette: Stage = {
  name: 'palette',
  timing: 'trace',
  perAttempt: true,
  run(ctx: PipelineContext) {
    const { palette, lines } = layerPalette(
      need(ctx.featurePalette, 'featurePalette'),
      need(ctx.params, 'params').maxColors,
    );
    ctx.palette = palette;
    ctx.lines = lines;
  },
};
