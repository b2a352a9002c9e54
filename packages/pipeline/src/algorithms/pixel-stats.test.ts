import { describe, expect, it } from 'vitest';
import { ALPHA_THRESHOLD } from '../constants.js';
import type { RgbaImage } from '../image.js';
import { SMOOTH_TOL } from './gradients.js';
import { flatMask } from './palette.js';
import { pixelStats } from './pixel-stats.js';

/** The counts by their definitions, pixel by pixel (slow and plain: the oracle for the C pass). */
function reference(img: RgbaImage) {
  const { width: w, height: h, data: d } = img;
  const step = (p: number, q: number, alpha: boolean) => {
    let m = 0;
    for (let c = 0; c < (alpha ? 4 : 3); c++) m = Math.max(m, Math.abs(d[p * 4 + c] - d[q * 4 + c]));
    return m;
  };
  let edges = 0,
    opaque = 0,
    gentle = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const right = x < w - 1 ? step(p, p + 1, true) : 0,
        down = y < h - 1 ? step(p, p + w, true) : 0;
      if (Math.max(right, down) > 48) edges++;
      if (d[p * 4 + 3] < ALPHA_THRESHOLD) continue;
      opaque++;
      if (d[p * 4 + 3] !== 255) continue;
      const around = Math.max(right, down, x > 0 ? step(p, p - 1, true) : 0, y > 0 ? step(p, p - w, true) : 0);
      if (around > 0 && around <= SMOOTH_TOL) gentle++;
    }
  return { edges, opaque, gentle };
}

function randomImage(w: number, h: number, seed: number): RgbaImage {
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const data = new Uint8Array(w * h * 4);
  const colours = Array.from({ length: 4 }, () => [rnd() * 256, rnd() * 256, rnd() * 256, rnd() < 0.3 ? 0 : 255]);
  for (let p = 0; p < w * h; p++) {
    // Runs of flat colour, gentle ramps, noise, antialiased alpha.
    const c = colours[Math.floor(((p % w) / w) * 2 + (Math.floor(p / w) / h) * 2) % colours.length];
    const kind = rnd();
    for (let k = 0; k < 3; k++)
      data[p * 4 + k] = kind < 0.8 ? c[k] : kind < 0.9 ? c[k] + ((p % w) % 5) : Math.floor(rnd() * 256);
    data[p * 4 + 3] = kind < 0.97 ? c[3] : Math.floor(rnd() * 256);
  }
  return { width: w, height: h, data };
}

describe('pixelStats', () => {
  it('counts edges, opaque and gentle pixels as defined, and its flat mask is flatMask', () => {
    const sizes: Array<[number, number]> = [
      [1, 1],
      [1, 9],
      [9, 1],
      [2, 2],
      [37, 23],
      [128, 128],
      [300, 211],
    ];
    for (const [w, h] of sizes)
      for (const tol of [2, 8]) {
        const img = randomImage(w, h, w * 31 + h + tol);
        const s = pixelStats(img, tol);
        const r = reference(img);
        const label = `${w}×${h} tol ${tol}`;
        expect(s.edgeDensity * w * h, label).toBeCloseTo(r.edges, 6);
        expect([s.opaque, s.gentle, s.transparent], label).toEqual([r.opaque, r.gentle, w * h - r.opaque]);
        const flat = flatMask(img, tol);
        expect(s.flat, label).toEqual(flat);
        expect(s.flatCount, label).toBe(flat.reduce((a, b) => a + b, 0));
      }
  });

  it('returns a mask of its own (the next call does not change it)', () => {
    const a = pixelStats(randomImage(50, 40, 1), 2);
    const copy = a.flat.slice();
    pixelStats(randomImage(400, 300, 2), 2);
    expect(a.flat).toEqual(copy);
  });
});
