import { describe, expect, it } from 'vitest';
import { DEFAULT_POTRACE, INK, isPlainRectangle, newBitmap, rectanglePath, traceBitmap } from './potrace.js';
import { paramSets } from './params.js';
import type { Features, LogoType } from './features.js';

// Every parameter set the pipeline can trace with.
const sets = (['simple', 'text', 'gradient', 'complex'] as LogoType[]).flatMap((logoType) =>
  paramSets({ logoType } as Features, { mode: 'auto' }),
);

describe('rectangle shortcut', () => {
  it('writes exactly what potrace writes for a filled box, for every parameter set', async () => {
    const sizes: Array<[number, number]> = [];
    for (let w = 16; w <= 40; w += 3) for (const h of [16, 17, 31, 64, 200]) sizes.push([w, h]);
    sizes.push([512, 512], [513, 511], [2000, 16], [16, 2000], [1024, 300]);
    for (const params of [DEFAULT_POTRACE, ...sets]) {
      for (const [w, h] of sizes) {
        expect(isPlainRectangle(w, h, params)).toBe(true);
        const bitmap = newBitmap(w, h);
        bitmap.px.fill(INK);
        expect(rectanglePath(w, h), `${w}×${h} ${JSON.stringify(params)}`).toBe(await traceBitmap(bitmap, params));
      }
    }
  });

  it('is not used where potrace rounds the corners', async () => {
    expect(isPlainRectangle(15, 100, DEFAULT_POTRACE)).toBe(false);
    expect(isPlainRectangle(100, 100, { ...DEFAULT_POTRACE, alphamax: 1.3 })).toBe(false);
    const bitmap = newBitmap(100, 64);
    bitmap.px.fill(INK);
    expect(await traceBitmap(bitmap, { ...DEFAULT_POTRACE, alphamax: 1.3 })).not.toBe(rectanglePath(100, 64));
    const small = newBitmap(7, 9);
    small.px.fill(INK);
    expect(await traceBitmap(small, DEFAULT_POTRACE)).not.toBe(rectanglePath(7, 9));
  });
});
