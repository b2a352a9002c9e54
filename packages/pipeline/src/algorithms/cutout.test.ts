import { describe, expect, it } from 'vitest';
import { renderSvg } from '../score.js';
import { traceCutout, type CurveStyle } from './cutout.js';

/** A label map with blobs, a ring with a hole, a saddle and transparent pixels. */
function fixture(w: number, h: number): Int16Array {
  const labels = new Int16Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const r = Math.hypot(x - 20, y - 20);
      labels[p] = r < 6 ? 3 : r < 12 ? 1 : x > 30 && y > 8 && y < 30 ? 2 : y > 34 ? -1 : 0;
    }
  // A saddle: two pixels of label 4 touching at a corner.
  labels[36 * w + 5] = 4;
  labels[37 * w + 6] = 4;
  return labels;
}

/** Each label's path alone, rendered at the label map's size: its alpha coverage per pixel. */
function coverage(d: string, w: number, h: number): Uint8Array {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><g transform="matrix(0.1 0 0 -0.1 0 ${h})"><path d="${d}"/></g></svg>`;
  const img = renderSvg(svg, w, h);
  const a = new Uint8Array(w * h);
  for (let p = 0; p < w * h; p++) a[p] = img.data[p * 4 + 3];
  return a;
}

describe('cutout tracing', () => {
  for (const curves of ['polygon', 'smooth'] as CurveStyle[])
    it(`shapes share their boundaries: no pixel covered twice, none left uncovered (${curves})`, () => {
      const w = 48,
        h = 40;
      const labels = fixture(w, h);
      const { paths } = traceCutout(labels, w, h, 5, curves);
      expect(paths.every((d) => d.length > 0)).toBe(true);
      if (curves === 'polygon') for (const d of paths) expect(d).not.toMatch(/[CcQqSsTtAa]/);
      const covers = paths.map((d) => coverage(d, w, h));
      let twice = 0,
        gaps = 0,
        wrong = 0;
      for (let p = 0; p < w * h; p++) {
        const sum = covers.reduce((s, c) => s + c[p], 0);
        if (sum > 255 + 32) twice++;
        // Inside the picture (not next to transparency), shapes leave no seam.
        const x = p % w,
          y = (p - x) / w;
        let inside = x > 0 && y > 0 && x < w - 1 && y < h - 1;
        for (let dy = -1; dy <= 1 && inside; dy++)
          for (let dx = -1; dx <= 1; dx++) if (labels[p + dy * w + dx] < 0) inside = false;
        if (inside && sum < 255 - 32) gaps++;
        // A pixel well inside its region is covered by its own label's shape.
        if (labels[p] >= 0 && covers[labels[p]][p] > 128 === false) wrong++;
      }
      expect(twice).toBe(0);
      expect(gaps).toBe(0);
      // Simplified (and for smooth, curved) outlines stray from the pixel staircase by under a pixel.
      expect(wrong).toBeLessThan((w * h) / (curves === 'polygon' ? 50 : 25));
    });
});
