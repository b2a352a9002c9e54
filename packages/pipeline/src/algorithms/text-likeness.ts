import { ALPHA_THRESHOLD } from '../constants.js';
import type { RgbaImage } from '../image.js';
import { scratch } from '../scratch.js';

/**
 * Text-likeness: ink (opaque and unlike the background) split into connected shapes; letters are
 * several shapes of about one height, small against the image.
 */
export function textLikeness(img: RgbaImage, background: number | undefined): number {
  // Every second pixel each way: letters survive, the flood fill costs a quarter.
  const w = img.width >> 1,
    h = img.height >> 1,
    d = img.data;
  const n = w * h;
  const ink = scratch('text.ink', Uint8Array, n).fill(0);
  const br = background === undefined ? 0 : (background >> 16) & 255,
    bg = background === undefined ? 0 : (background >> 8) & 255,
    bb = background === undefined ? 0 : background & 255;
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0, i = y * 8 * img.width; x < w; x++, p++, i += 8) {
      if (d[i + 3] < ALPHA_THRESHOLD) continue;
      if (background !== undefined && Math.abs(d[i] - br) + Math.abs(d[i + 1] - bg) + Math.abs(d[i + 2] - bb) < 60)
        continue;
      ink[p] = 1;
    }
  }
  const queue = scratch('text.queue', Int32Array, n);
  const heights: number[] = [];
  const minArea = Math.max(3, n * 0.0002);
  for (let s = 0; s < n; s++) {
    if (ink[s] !== 1) continue;
    let head = 0,
      tail = 0,
      y0 = h,
      y1 = 0;
    queue[tail++] = s;
    ink[s] = 2;
    while (head < tail) {
      const p = queue[head++];
      const x = p % w,
        y = (p - x) / w;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && ink[p - 1] === 1) {
        ink[p - 1] = 2;
        queue[tail++] = p - 1;
      }
      if (x < w - 1 && ink[p + 1] === 1) {
        ink[p + 1] = 2;
        queue[tail++] = p + 1;
      }
      if (y > 0 && ink[p - w] === 1) {
        ink[p - w] = 2;
        queue[tail++] = p - w;
      }
      if (y < h - 1 && ink[p + w] === 1) {
        ink[p + w] = 2;
        queue[tail++] = p + w;
      }
    }
    if (tail >= minArea) heights.push(y1 - y0 + 1);
  }
  if (heights.length < 4) return 0;
  const sorted = [...heights].sort((a, b) => a - b);
  const med = sorted[sorted.length >> 1];
  if (med > h * 0.7) return 0;
  const alike = heights.filter((x) => Math.abs(x - med) <= med * 0.35).length / heights.length;
  return Math.round(alike * Math.min(1, heights.length / 8) * 1000) / 1000;
}
