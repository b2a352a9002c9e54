import { describe, expect, it } from 'vitest';
import { palette } from './palette.js';
import { contextBefore } from './stages.testkit.js';

describe('palette stage', () => {
  it('keeps the features palette under the cap', async () => {
    const ctx = await contextBefore('palette');
    palette.run(ctx);
    expect(ctx.palette!.colors).toEqual([0xff0000, 0xffffff, 0x0000ff]);
    expect(ctx.lines!.size).toBe(0);
  });

  it('folds the rarest colours into their nearest ones over the cap, and keeps line colours by index', async () => {
    const ctx = await contextBefore('palette');
    ctx.params = { ...ctx.params!, maxColors: 2 };
    ctx.featurePalette = {
      colors: [0xff0000, 0x0000ff, 0xee1111, 0x0000ee],
      counts: [0.4, 0.3, 0.2, 0.1],
      lineColors: new Set([0x0000ff]),
    };
    palette.run(ctx);
    // The rarest colours go first: #0000ee into #0000ff, then #ee1111 into #ff0000.
    expect(ctx.palette!.colors).toEqual([0xff0000, 0x0000ff]);
    expect(ctx.palette!.counts[0]).toBeCloseTo(0.6, 9);
    expect(ctx.palette!.counts[1]).toBeCloseTo(0.4, 9);
    expect([...ctx.lines!]).toEqual([1]);
  });
});
