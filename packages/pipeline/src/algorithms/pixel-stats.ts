import { ALPHA_THRESHOLD } from '../constants.js';
import type { RgbaImage } from '../image.js';
import { pixelWords } from '../words.js';
import { SMOOTH_TOL } from './gradients.js';

export interface PixelStats {
  edgeDensity: number;
  gentle: number;
  opaque: number;
  transparent: number;
  flat: Uint8Array;
  flatCount: number;
}

/**
 * One pass over the pixels, each compared with its right and lower neighbour: strong steps (edges),
 * gentle steps (gradient candidates), and the flat mask (every neighbour opaque and within FLAT_TOL
 * per channel; see palette.flatMask, which this reproduces). Steps of the row above and the pixel to
 * the left are carried along, so nothing image-sized but the mask is allocated; equal neighbours
 * (most pixel pairs in a logo) are one word comparison.
 */
export function pixelStats(img: RgbaImage, FLAT_TOL: number): PixelStats {
  const { width: w, height: h, data: d } = img;
  const n = w * h;
  const px = pixelWords(d);
  const T = ALPHA_THRESHOLD;
  // Largest RGB step (255 where there is no neighbour) and largest step including alpha, of the
  // row above's downward pairs.
  const upRgb = new Uint8Array(w),
    upStep = new Uint8Array(w);
  const flat = new Uint8Array(n);
  let edges = 0,
    opaque = 0,
    gentle = 0,
    flatCount = 0;
  for (let y = 0, p = 0; y < h; y++) {
    const lastRow = y === h - 1;
    let leftRgb = 255,
      leftStep = 0;
    for (let x = 0; x < w; x++, p++) {
      const i = p * 4;
      const word = px[p];
      // Inside a run of one pixel value (left, upper, right and lower neighbours equal): no step,
      // flat when opaque. Most pixels of a logo take this path.
      if (leftStep === 0 && upStep[x] === 0 && x < w - 1 && !lastRow && px[p + 1] === word && px[p + w] === word) {
        if (d[i + 3] >= T) {
          opaque++;
          flat[p] = 1;
          flatCount++;
        }
        leftRgb = 0;
        upRgb[x] = 0;
        continue;
      }
      const a = d[i + 3];
      let rRgb = 255,
        rStep = 0,
        dRgb = 255,
        dStep = 0;
      if (x < w - 1) {
        if (px[p + 1] === word) rRgb = 0;
        else {
          const dr = Math.abs(d[i] - d[i + 4]),
            dg = Math.abs(d[i + 1] - d[i + 5]),
            db = Math.abs(d[i + 2] - d[i + 6]);
          rRgb = dr > dg ? (dr > db ? dr : db) : dg > db ? dg : db;
          const da = Math.abs(a - d[i + 7]);
          rStep = rRgb > da ? rRgb : da;
        }
      }
      if (!lastRow) {
        const j = i + w * 4;
        if (px[p + w] === word) dRgb = 0;
        else {
          const dr = Math.abs(d[i] - d[j]),
            dg = Math.abs(d[i + 1] - d[j + 1]),
            db = Math.abs(d[i + 2] - d[j + 2]);
          dRgb = dr > dg ? (dr > db ? dr : db) : dg > db ? dg : db;
          const da = Math.abs(a - d[j + 3]);
          dStep = dRgb > da ? dRgb : da;
        }
      }
      if ((rStep > dStep ? rStep : dStep) > 48) edges++;
      if (a >= T) {
        opaque++;
        // Gentle: every step around the pixel small and one not zero — inside a gradient, not on an
        // antialiased edge (which has a strong step on one side).
        if (a === 255) {
          const u = upStep[x];
          let mx = rStep > dStep ? rStep : dStep;
          if (leftStep > mx) mx = leftStep;
          if (u > mx) mx = u;
          if (mx > 0 && mx <= SMOOTH_TOL) gentle++;
        }
        if (
          (x === 0 || (leftRgb <= FLAT_TOL && d[i - 1] >= T)) &&
          (x === w - 1 || (rRgb <= FLAT_TOL && d[i + 7] >= T)) &&
          (y === 0 || (upRgb[x] <= FLAT_TOL && d[i - w * 4 + 3] >= T)) &&
          (lastRow || (dRgb <= FLAT_TOL && d[i + w * 4 + 3] >= T))
        ) {
          flat[p] = 1;
          flatCount++;
        }
      }
      leftRgb = rRgb;
      leftStep = rStep;
      upRgb[x] = dRgb;
      upStep[x] = dStep;
    }
  }
  return { edgeDensity: edges / n, gentle, opaque, transparent: n - opaque, flat, flatCount };
}
