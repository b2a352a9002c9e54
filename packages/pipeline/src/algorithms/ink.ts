import { TracefleetError } from '@tracefleet/errors';
import type { RgbaImage } from '../image.js';
import { flatPixel } from '../score.js';
import { bufferView, SLOT, wasm } from '../wasm.js';
import { pixelWords } from '../words.js';

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
function pageColour(px: Int32Array, w: number, h: number): [number, number, number] {
  const counts = new Map<number, number>();
  const add = (p: number) => {
    const f = flatPixel(px[p]);
    const c = ((f & 255) << 16) | (f & 0xff00) | ((f >> 16) & 255);
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
  /** Pixels in the mask. */
  count: number;
  share: number;
}

/*
 * Whether a pixel inks: flattened on white (score.ts: flatPixel), it differs from the page by more
 * than INK_STEP in some channel. Judged in wasm/score.c (tf_ink_mask, tf_ink_kept), once per run of
 * one pixel value: a logo is mostly runs.
 */

const noMemory = (n: number) => new TracefleetError('PIPELINE_FAILED', `no memory to find the ink of ${n} pixels`);

/** The ink of an input image (the reference the result is checked against). */
export function inkOf(img: RgbaImage): Ink {
  const { width: w, height: h } = img;
  const n = w * h;
  const page = pageColour(pixelWords(img.data), w, h);
  bufferView(SLOT.scoreReference, n * 4).set(img.data.subarray(0, n * 4));
  const count = wasm().tf_ink_mask(SLOT.scoreReference, n, page[0], page[1], page[2], INK_STEP);
  if (count < 0) throw noMemory(n);
  return { page, mask: bufferView(SLOT.inkMask, n).slice(), count, share: count / n };
}

/**
 * Share of the input's ink that the rendered result also inks (unlike the input's page colour at
 * the same pixel), or 1 when the input has too little ink to judge. A blank white picture over a
 * logo scores 0; a faithful trace about 1 (edges shift by a pixel at most).
 */
export function inkRecall(input: Ink, rendered: RgbaImage): number {
  const n = rendered.width * rendered.height;
  bufferView(SLOT.scoreCandidate, n * 4).set(rendered.data.subarray(0, n * 4));
  return inkRecallOfCandidate(input, n);
}

/** inkRecall of the render score.ts's scoreCandidate left in the candidate slot (n pixels). */
export function inkRecallOfCandidate(input: Ink, n: number): number {
  if (input.share < MIN_INK_SHARE) return 1;
  bufferView(SLOT.inkMask, n).set(input.mask.subarray(0, n));
  const kept = wasm().tf_ink_kept(n, input.page[0], input.page[1], input.page[2], INK_STEP);
  if (kept < 0) throw noMemory(n);
  return input.count ? kept / input.count : 1;
}
