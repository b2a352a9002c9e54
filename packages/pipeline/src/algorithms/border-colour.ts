import { ALPHA_THRESHOLD } from '../constants.js';
import type { RgbaImage } from '../image.js';
import { forEachBorderPixel } from './border.js';

/** Most common colour on the border of an opaque image; undefined when the border is transparent. */
export function borderColour(img: RgbaImage): number | undefined {
  const { width: w, height: h, data: d } = img;
  const counts = new Map<number, number>();
  let transparent = 0;
  const add = (p: number) => {
    const i = p * 4;
    if (d[i + 3] < ALPHA_THRESHOLD) {
      transparent++;
      return;
    }
    const c = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    counts.set(c, (counts.get(c) ?? 0) + 1);
  };
  forEachBorderPixel(w, h, add);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best || transparent > best[1]) return undefined;
  return best[0];
}
