import type { PipelineContext } from '../context.js';
import { inkOf } from '../algorithms/ink.js';
import { decodeImage } from '../decode.js';
import type { Stage } from '../stage.js';

/** Bytes → pixels at input and tracing size (PNG fast path or sharp; typed errors for bad input; noisy input denoised), and the input's ink. */
export const decode: Stage = {
  name: 'decode',
  timing: 'decode',
  async run(ctx: PipelineContext) {
    const decoded = await decodeImage(ctx.bytes, ctx.limits, ctx.deadline);
    ctx.decoded = decoded;
    ctx.noisy = decoded.noisy;
    ctx.ink = inkOf(decoded.reference);
  },
};
