import type { RgbaImage } from '../image.js';
import { flattenOnWhite } from '../score.js';
import { scratch } from '../scratch.js';

/**
 * "Ink": pixels that differ from the page by more than this in some channel, both images flattened
 * on white. Far above scan noise and JPEG ringing, so only real marks count.
 */
const INK_STEP = 64;

/** Below this share of ink pixels the input has no clear structure to lose (a blank stays blank). */
const MIN_INK_SHARE = 0.002;

/** A result that reproduces under this share of the input's ink has lost the logo. */
export const MIN_INK_RECALL = 0.5;

/** The page colour: the most common colour on the border of the image flattened on white. */
function pageColour(rgb: Uint8Array, w: number, h: number): [number, number, number] {
  const counts = new Map<number, number>();
  const add = (p: number) => {
    const c = (rgb[p * 3] << 16) | (rgb[p * 3 + 1] << 8) | rgb[p * 3 + 2];
    counts.set(c, (counts.get(c) ?? 0) + 1);
  };
  for (let x = 0; x < w; x++) {
    add(x);
    add((h - 1) * w + x);
  }
  for (let y = 1; y < h - 1; y++) {
    add(y * w);
    add(y * w + w - 1);
  }
  // Noisy borders have no repeated colour: quantise to 16 levels so the page still wins a vote.
  let best = 0xffffff,
    bestN = 0;
  const coarse = new Map<number, number[]>();
  for (const [c, n] of counts) {
    const k = (c >> 4) & 0x0f0f0f;
    const e = coarse.get(k) ?? [0, 0, 0, 0];
    e[0] += n;
    e[1] += ((c >> 16) & 255) * n;
    e[2] += ((c >> 8) & 255) * n;
    e[3] += (c & 255) * n;
    coarse.set(k, e);
  }
  for (const [, e] of coarse)
    if (e[0] > bestN)
      [bestN, best] = [
        e[0],
        (Math.round(e[1] / e[0]) << 16) | (Math.round(e[2] / e[0]) << 8) | Math.round(e[3] / e[0]),
      ];
  return [(best >> 16) & 255, (best >> 8) & 255, best & 255];
}

/** Input ink: a mask of the pixels unlike the page, and its share of the image. */
export interface Ink {
  page: [number, number, number];
  mask: Uint8Array;
  share: number;
}

/** The ink of an input image (the reference the result is checked against). */
export function inkOf(img: RgbaImage): Ink {
  const { width: w, height: h } = img;
  const n = w * h;
  const rgb = flattenOnWhite(img, scratch('ink.rgb', Uint8Array, n * 3));
  const page = pageColour(rgb, w, h);
  const mask = new Uint8Array(n);
  let count = 0;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    if (
      Math.abs(rgb[i] - page[0]) > INK_STEP ||
      Math.abs(rgb[i + 1] - page[1]) > INK_STEP ||
      Math.abs(rgb[i + 2] - page[2]) > INK_STEP
    ) {
      mask[p] = 1;
      count++;
    }
  }
  return { page, mask, share: count / n };
}

/**
 * Share of the input's ink that the rendered result also inks (unlike the input's page colour at
 * the same pixel), or 1 when the input has too little ink to judge. A blank white picture over a
 * logo scores 0; a faithful trace about 1 (edges shift by a pixel at most).
 */
export function inkRecall(input: Ink, rendered: RgbaImage): number {
  if (input.share < MIN_INK_SHARE) return 1;
  const n = rendered.width * rendered.height;
  const rgb = flattenOnWhite(rendered, scratch('ink.out', Uint8Array, n * 3));
  const [r, g, b] = input.page;
  let ink = 0,
    kept = 0;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    if (!input.mask[p]) continue;
    ink++;
    if (Math.abs(rgb[i] - r) > INK_STEP || Math.abs(rgb[i + 1] - g) > INK_STEP || Math.abs(rgb[i + 2] - b) > INK_STEP)
      kept++;
  }
  return ink ? kept / ink : 1;
}
