import { traceLayers } from '../algorithms/layers.js';
import { need, type PipelineContext } from '../context.js';
import type { Stage } from '../stage.js';

/** One potrace path per layer. */
export const trace: Stage = {
  name: 'trace',
  timing: 'trace',
  perAttempt: true,
  async run(ctx: PipelineContext) {
    const { labels, order, colours } = need(ctx.plan, 'plan');
    ctx.layers = await traceLayers(
      labels,
      order,
      colours,
      need(ctx.decoded, 'decoded').image,
      need(ctx.params, 'params'),
    );
  },
};
