import { describe, expect, it } from 'vitest';
import { score } from './score.js';
import { contextBefore } from './stages.testkit.js';

describe('score stage', () => {
  it('scores the SVG against the input and keeps the best attempt', async () => {
    const ctx = await contextBefore('score');
    score.run(ctx);
    expect(ctx.quality!.ssim).toBeGreaterThan(0.95);
    const first = ctx.best!;
    expect(first.svg).toBe(ctx.svg);
    expect(first.params).toBe(ctx.params);

    // A worse second attempt (an empty picture) is scored but not kept.
    ctx.svg = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="64" viewBox="0 0 96 64"></svg>';
    ctx.layers = [];
    score.run(ctx);
    expect(ctx.quality!.ssim).toBeLessThan(first.quality.ssim);
    expect(ctx.best).toBe(first);
  });
});
