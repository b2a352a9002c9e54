import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POTRACE,
  INK,
  isPlainRectangle,
  newBitmap,
  rectanglePath,
  traceBitmap,
  type Bitmap,
  type PotraceParams,
} from './potrace.js';
import { paramSets } from './params.js';
import type { Features, LogoType } from './features.js';

// Every parameter set the pipeline can trace with.
const sets = (['simple', 'text', 'gradient', 'complex'] as LogoType[]).flatMap((logoType) =>
  paramSets({ logoType } as Features, { mode: 'auto' }),
);

describe('rectangle shortcut', () => {
  it('writes exactly what potrace writes for a filled box, for every parameter set', () => {
    const sizes: Array<[number, number]> = [];
    for (let w = 16; w <= 40; w += 3) for (const h of [16, 17, 31, 64, 200]) sizes.push([w, h]);
    sizes.push([512, 512], [513, 511], [2000, 16], [16, 2000], [1024, 300]);
    for (const params of [DEFAULT_POTRACE, ...sets]) {
      for (const [w, h] of sizes) {
        expect(isPlainRectangle(w, h, params)).toBe(true);
        const bitmap = newBitmap(w, h);
        bitmap.mask.fill(INK);
        expect(rectanglePath(w, h), `${w}×${h} ${JSON.stringify(params)}`).toBe(traceBitmap(bitmap, params));
      }
    }
  });

  it('is not used where potrace rounds the corners', () => {
    expect(isPlainRectangle(15, 100, DEFAULT_POTRACE)).toBe(false);
    expect(isPlainRectangle(100, 100, { ...DEFAULT_POTRACE, alphamax: 1.3 })).toBe(false);
    const bitmap = newBitmap(100, 64);
    bitmap.mask.fill(INK);
    expect(traceBitmap(bitmap, { ...DEFAULT_POTRACE, alphamax: 1.3 })).not.toBe(rectanglePath(100, 64));
    const small = newBitmap(7, 9);
    small.mask.fill(INK);
    expect(traceBitmap(small, DEFAULT_POTRACE)).not.toBe(rectanglePath(7, 9));
  });
});

/** esm-potrace-wasm, which our module replaces: it takes an RGBA canvas (black = ink). */
async function reference(bitmap: Bitmap, params: PotraceParams): Promise<string> {
  const g = globalThis as Record<string, unknown>;
  g.require ??= createRequire(import.meta.url);
  g.__dirname ??= '/';
  const mod = (await import('esm-potrace-wasm')) as unknown as {
    init(): Promise<void>;
    potrace(img: unknown, o: Record<string, unknown>): Promise<string[]>;
  };
  await mod.init();
  const rgba = new Uint8ClampedArray(bitmap.width * bitmap.height * 4).fill(255);
  const px = new Int32Array(rgba.buffer);
  for (let k = 0; k < px.length; k++) if (bitmap.mask[k] === INK) px[k] = 0xff000000 | 0;
  const parts = await mod.potrace(
    { data: rgba, width: bitmap.width, height: bitmap.height },
    {
      pathonly: true,
      extractcolors: false,
      posterizelevel: 2,
      turdsize: params.turdsize,
      turnpolicy: params.turnpolicy,
      alphamax: params.alphamax,
      opticurve: params.opticurve ? 1 : 0,
      opttolerance: params.opttolerance,
    },
  );
  return parts.map((s) => s.trim()).join('');
}

describe('potrace module', () => {
  it('writes exactly what esm-potrace-wasm writes, on random shapes, sizes and every parameter set', async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const all = [
      DEFAULT_POTRACE,
      ...sets,
      { turdsize: 0, turnpolicy: 2, alphamax: 1.3, opticurve: false, opttolerance: 1 },
    ];
    let paths = 0;
    for (let it = 0; it < 120; it++) {
      const width = 1 + Math.floor(rnd() * (it < 60 ? 70 : 400)),
        height = 1 + Math.floor(rnd() * (it < 60 ? 70 : 400));
      const bitmap = newBitmap(width, height);
      // Discs of ink and holes, some salt and pepper, and other non-ink values (the layer states).
      for (let b = 1 + Math.floor(rnd() * 10); b > 0; b--) {
        const cx = rnd() * width,
          cy = rnd() * height,
          r = (rnd() * Math.max(width, height)) / 3,
          v = rnd() < 0.7 ? INK : 4;
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) bitmap.mask[y * width + x] = v;
      }
      if (it % 4 === 0) for (let k = 0; k < bitmap.mask.length; k++) if (rnd() < 0.05) bitmap.mask[k] ^= INK;
      const params = all[it % all.length];
      const ours = traceBitmap(bitmap, params);
      expect(ours, `${width}×${height} ${JSON.stringify(params)}`).toBe(await reference(bitmap, params));
      paths += ours ? 1 : 0;
    }
    expect(paths).toBeGreaterThan(100);
  });

  it('traces an empty bitmap to nothing and a 1×1 dot by its turdsize', () => {
    expect(traceBitmap(newBitmap(50, 40), DEFAULT_POTRACE)).toBe('');
    const dot = newBitmap(1, 1);
    dot.mask[0] = INK;
    expect(traceBitmap(dot, { ...DEFAULT_POTRACE, turdsize: 0 })).toMatch(/^M\d/);
    expect(traceBitmap(dot, DEFAULT_POTRACE)).toBe('');
  });
});
