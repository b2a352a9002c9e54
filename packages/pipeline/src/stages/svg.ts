import { need, type PipelineContext } from '../context.js';
import type { Stage } from '../stage.js';
import { assertSafeSvg, buildSvg, coordinatePrecision, optimizeSvg } from '../svg.js';

/** Layers → SVG at the input's size, optimised by svgo and checked safe. */
export const svg: Stage = {
  name: 'svg',
  timing: 'optimise',
  perAttempt: true,
  run(ctx: PipelineContext) {
    const decoded = need(ctx.decoded, 'decoded');
    const layers = need(ctx.layers, 'layers');
    const frame = { width: decoded.original.width, height: decoded.original.height, scale: decoded.scale };
    // svgo would collapse an empty picture to a self-closing <svg/>; there is nothing to optimise.
    const svg = layers.length
      ? optimizeSvg(buildSvg(layers, frame), coordinatePrecision(frame.width, frame.height))
      : buildSvg(layers, frame);
    assertSafeSvg(svg);
    ctx.svg = svg;
  },
};
