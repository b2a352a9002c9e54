import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import { contextBefore } from './stages.testkit.js';

describe('classify stage', () => {
  it('picks the parameter sets of the logo type, first choice first', async () => {
    const ctx = await contextBefore('classify');
    classify.run(ctx);
    expect(ctx.features!.logoType).toBe('simple');
    expect(ctx.paramSets!.map((s) => s.maxColors)).toEqual([12, 24]);
  });

  it('follows the options: one two-colour set for mono, the colour cap on every set', async () => {
    const mono = await contextBefore('classify', undefined, { mode: 'mono' });
    classify.run(mono);
    expect(mono.paramSets!.map((s) => s.maxColors)).toEqual([2]);
    const capped = await contextBefore('classify', undefined, { mode: 'color', colors: 4 });
    classify.run(capped);
    expect(capped.paramSets!.map((s) => s.maxColors)).toEqual([4, 4]);
  });
});
