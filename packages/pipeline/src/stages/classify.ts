import { need, type PipelineContext } from '../context.js';
import { paramSets } from '../params.js';
import type { Stage } from '../stage.js';

/** The tracing parameter sets for the logo type (classified with the features) and the options. */
export const classify: Stage = {
  name: 'classify',
  timing: 'classify',
  run(ctx: PipelineContext) {
    ctx.paramSets = paramSets(need(ctx.features, 'features'), ctx.options);
  },
};
