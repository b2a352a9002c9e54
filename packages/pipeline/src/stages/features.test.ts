import { describe, expect, it } from 'vitest';
import { toHex } from '../color.js';
import type { Features } from '../features.js';
import { features } from './features.js';
import { contextBefore } from './stages.testkit.js';

describe('features stage', () => {
  it('extracts the features and keeps the numeric palette and the flat mask for the later stages', async () => {
    const ctx = await contextBefore('features');
    features.run(ctx);
    const f = ctx.features!;
    expect(f.palette.map((p) => p.color)).toEqual(['#ff0000', '#ffffff', '#0000ff']);
    expect(ctx.featurePalette!.colors.map(toHex)).toEqual(f.palette.map((p) => p.color));
    expect(ctx.featurePalette!.counts).toEqual(f.palette.map((p) => p.share));
    expect(ctx.featurePalette!.lineColors.size).toBe(0);
    expect(ctx.flat!.length).toBe(384 * 256);
    expect(ctx.flat![0]).toBe(1); // a corner of the red field
  });

  it('reuses valid cached features (no flat mask then) and re-extracts stale ones', async () => {
    const first = await contextBefore('features');
    features.run(first);
    const cached = JSON.parse(JSON.stringify(first.features)) as Features;

    const reused = await contextBefore('features', undefined, undefined, cached);
    features.run(reused);
    expect(reused.features).toBe(cached);
    expect(reused.flat).toBeUndefined();
    expect(reused.featurePalette!.colors).toEqual(first.featurePalette!.colors);
    expect(reused.featurePalette!.counts).toEqual(first.featurePalette!.counts);

    const stale = await contextBefore('features', undefined, undefined, { ...cached, version: 'old' });
    features.run(stale);
    expect(stale.features).not.toBe(stale.cachedFeatures);
    expect(stale.features).toEqual(first.features);
    expect(stale.flat).toBeDefined();
  });
});
