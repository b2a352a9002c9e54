import { traceCutout } from '../algorithms/cutout.js';
import { traceLayers } from '../algorithms/layers.js';
import { OutputBudget } from '../budget.js';
import { nameLayers } from '../algorithms/vector-options.js';
import { need, type PipelineContext } from '../context.js';
import type { Stage } from '../stage.js';

/**
 * One path per layer: potrace per layer (stacked, the default), or the shared-boundary tracer
 * (`stacking=cutout`), charged to the output budget (MAX_SVG_PATHS, MAX_SVG_BYTES) as it comes.
 * Every path is named by its colour (a stable id).
 */
export const trace: Stage = {
  name: 'trace',
  timing: 'trace',
  perAttempt: true,
  run(ctx: PipelineContext) {
    const { labels, order, colours } = need(ctx.plan, 'plan');
    const decoded = need(ctx.decoded, 'decoded');
    const { options } = ctx;
    const budget = new OutputBudget(ctx.limits);
    if (options.stacking === 'cutout') {
      const { width: w, height: h } = decoded.image;
      const { paths, seams } = traceCutout(
        labels,
        w,
        h,
        colours.length,
        options.curves ?? 'smooth',
        decoded.scale,
        order,
      );
      for (const d of [...paths, ...seams]) if (d) budget.charge(d);
      ctx.layers = order
        .filter((l) => paths[l])
        .map((l) => ({
          color: colours[l].color,
          gradient: colours[l].gradient,
          d: paths[l],
          ...(seams[l] && { seams: seams[l] }),
        }));
    } else ctx.layers = traceLayers(labels, order, colours, decoded.image, need(ctx.params, 'params'), budget);
    nameLayers(ctx.layers);
  },
};
