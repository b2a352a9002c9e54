import { describe, expect, it } from 'vitest';
import { contextBefore } from './stages.testkit.js';
import { svg } from './svg.js';

describe('svg stage', () => {
  it('writes a safe SVG at the input size with one path per layer', async () => {
    const ctx = await contextBefore('svg');
    svg.run(ctx);
    expect(ctx.svg).toMatch(/^<svg[^>]*viewBox="0 0 96 64"/);
    expect(ctx.svg!.match(/<path/g)).toHaveLength(ctx.layers!.length);
    expect(ctx.svg).toMatch(/fill="(#00f|blue)"/);
  });

  it('keeps an empty picture one empty <svg> element', async () => {
    const ctx = await contextBefore('svg');
    ctx.layers = [];
    svg.run(ctx);
    expect(ctx.svg).toMatch(/^<svg[^>]*viewBox="0 0 96 64"[^>]*><\/svg>$/);
  });
});
