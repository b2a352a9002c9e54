import type { PipelineContext } from '../context.js';
import { inkOf } from '../algorithms/ink.js';
import { decodeImage } from '../decode.js';
import { scoreTarget } from '../score.js';
import type { Stage } from '../stage.js';

/** Bytes → pixels at input and tracing size (PNG fast path or sharp; typed errors for bad input; noisy input denoised), the reference at the score's resolution, and its ink. */
export const decode: Stage = {
  name: 'decode',
  timing: 'decode',
  async run(ctx: PipelineContext) {
    const decoded = await decodeImage(ctx.bytes, ctx.limits, ctx.deadline);
    ctx.decoded = decoded;
    ctx.noisy = decoded.noisy;
    ctx.scoring = scoreTarget(decoded.reference);
    ctx.ink = inkOf(ctx.scoring.image);
  },
};
