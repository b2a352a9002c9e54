import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../image.js';
import { findGradients, regionPixels } from './gradients.js';

/** w × h opaque pixels coloured by f(x, y) → [r, g, b]. */
function image(w: number, h: number, f: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = f(x, y);
      data.set([r, g, b, 255], (y * w + x) * 4);
    }
  return { width: w, height: h, data };
}

describe('findGradients (wasm/gradients.c for the per-pixel passes)', () => {
  it('finds a horizontal linear gradient, its axis and end colours, and marks its pixels', () => {
    const img = image(200, 100, (x) => [Math.round((x * 255) / 199), 40, 200]);
    const { regions, mask, smoothShare } = findGradients(img, 200 * 100);
    expect(regions).toHaveLength(1);
    const [g] = regions;
    expect(g.kind).toBe('linear');
    expect(g.confident).toBe(true);
    expect(Math.abs(g.y2 - g.y1)).toBeLessThan(0.5);
    expect(g.x2 - g.x1).toBeGreaterThan(190);
    expect(g.stops[0].color).toMatch(/^#0[0-9a-f]28c8$/);
    expect(g.stops.at(-1)!.color).toMatch(/^#f[0-9a-f]28c8$/);
    expect(smoothShare).toBe(1);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(200 * 100);
    expect(regionPixels(img, g).length).toBe(200 * 100);
  });

  it('finds a radial gradient around its centre', () => {
    const img = image(160, 160, (x, y) => {
      const r = Math.min(255, Math.round(Math.hypot(x - 70, y - 90) * 2.2));
      return [r, r, 255 - r];
    });
    const [g] = findGradients(img, 160 * 160).regions;
    expect(g.kind).toBe('radial');
    expect(Math.hypot(g.x1 - 70, g.y1 - 90)).toBeLessThan(3);
  });

  it('finds nothing in flat colours, and regions stop at hard edges', () => {
    const flat = image(120, 120, (x) => (x < 60 ? [255, 0, 0] : [0, 0, 255]));
    expect(findGradients(flat, 120 * 120).regions).toEqual([]);
    // Two ramps side by side, split by a jump of 57: two regions, each of its own half.
    const two = image(200, 80, (x) => [x < 100 ? x : x + 56, 0, 0]);
    const found = findGradients(two, 200 * 80).regions;
    expect(found).toHaveLength(2);
    expect(found.map((g) => regionPixels(two, g).length)).toEqual([100 * 80, 100 * 80]);
  });

  it('skips regions under the minimum share without fitting them', () => {
    // A ramp of 150 × 10 pixels on white: 1.7 % of a 300 × 300 image, found at a 1 % minimum, not at 2 %.
    const img = image(300, 300, (x, y) => (y < 10 && x < 150 ? [x, 0, 0] : [255, 255, 255]));
    expect(findGradients(img, 300 * 300, 0.01).regions).toHaveLength(1);
    expect(findGradients(img, 300 * 300, 0.02).regions).toEqual([]);
  });
});
