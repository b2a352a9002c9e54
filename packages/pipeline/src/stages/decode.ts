import type { PipelineContext } from '../context.js';
import { decodeImage } from '../decode.js';
import type { Stage } from '../stage.js';

/** Bytes → pixels at input and tracing size (sharp; typed errors for bad input). */
export const decode: Stage = {
  name: 'decode',
  timing: 'decode',
  async run(ctx: PipelineContext) {
    const decoded = await decodeImage(ctx.bytes, ctx.limits);
    ctx.decoded = decoded;
    ctx.noisy = decoded.format === 'jpeg';
  },
};
