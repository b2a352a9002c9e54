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

const frame = (w: number, h: number, body: string, scale = 1) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w / scale}" height="${h / scale}" viewBox="0 0 ${w / scale} ${h / scale}"><g transform="matrix(${0.1 / scale} 0 0 -${0.1 / scale} 0 ${h / scale})">${body}</g></svg>`;

/** Each label's path alone, rendered at the label map's size: its alpha coverage per pixel. */
function coverage(d: string, w: number, h: number): Uint8Array {
  const img = renderSvg(frame(w, h, `<path d="${d}"/>`), w, h);
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

describe('cutout seam fillers', () => {
  it('every edge between two drawn regions is given once, to the lower region, and closes the seams', () => {
    const w = 48,
      h = 40;
    const labels = fixture(w, h);
    const order = [0, 1, 2, 3, 4];
    const { paths, seams } = traceCutout(labels, w, h, 5, 'smooth', 1, order);
    // The top region has nothing above it; open chains, never closed shapes, except islands (the disc).
    expect(seams[4]).toBe('');
    expect(seams[0].length).toBeGreaterThan(0);
    expect(seams[3]).toBe(''); // the disc (3) lies only on the ring (1), which is lower
    expect(seams[1]).toMatch(/z/); // …so the ring owns the disc's closed outline
    // Drawn like the SVG stage does (fillers under every shape): no seam inside the picture.
    const colours = ['#204080', '#e0c040', '#c03020', '#40a060', '#101010'];
    const draw = (withSeams: boolean) => {
      const under = withSeams
        ? order.map((l) =>
            seams[l]
              ? `<path fill="none" stroke="${colours[l]}" stroke-width="15" stroke-linejoin="round" d="${seams[l]}"/>`
              : '',
          )
        : [];
      const img = renderSvg(
        frame(w, h, [...under, ...order.map((l) => `<path fill="${colours[l]}" d="${paths[l]}"/>`)].join('')),
        w,
        h,
      );
      let seam = 0;
      for (let y = 1; y < h - 1; y++)
        for (let x = 1; x < w - 1; x++) {
          let inside = true;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) if (labels[(y + dy) * w + x + dx] < 0) inside = false;
          if (inside && img.data[(y * w + x) * 4 + 3] < 250) seam++;
        }
      return seam;
    };
    // Shapes that only touch show the background along their shared edges; with the fillers they do not.
    expect(draw(false)).toBeGreaterThan(20);
    expect(draw(true)).toBe(0);
  });

  it('small shapes of an upscaled input keep their size (a 128 px logo traced at 3×)', () => {
    // Dashes 2×5 and dots 2×2 input pixels, upscaled 3× as decode does for small inputs.
    const s = 3,
      w = 40 * s,
      h = 24 * s;
    const labels = new Int16Array(w * h);
    const small = (x: number, y: number) =>
      (y >= 4 && y < 6 && x % 8 >= 2 && x % 8 < 7) || (y >= 12 && y < 14 && x % 6 >= 2 && x % 6 < 4) ? 1 : 0;
    let ink = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) ink += labels[y * w + x] = small(Math.floor(x / s), Math.floor(y / s));
    const { paths } = traceCutout(labels, w, h, 2, 'smooth', s);
    const img = renderSvg(frame(w, h, `<path d="${paths[1]}"/>`, s), w / s, h / s);
    let covered = 0;
    for (let i = 3; i < img.data.length; i += 4) covered += img.data[i] / 255;
    // Plain [1 2 1] smoothing passes kept 69 % of their area, Taubin's 90 % (rounded corners only).
    expect(covered / (ink / (s * s))).toBeGreaterThan(0.85);
  });
});
