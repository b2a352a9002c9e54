import { TracefleetError } from '@tracefleet/errors';
import { ALPHA_THRESHOLD } from '../constants.js';
import type { RgbaImage } from '../image.js';
import { bufferView, SLOT, wasm } from '../wasm.js';
import { SMOOTH_TOL } from './gradients.js';

export interface PixelStats {
  /** Share of pixels with a strong step (> 48 in a channel or alpha) to their right or lower neighbour. */
  edgeDensity: number;
  /** Fully opaque pixels whose largest step to any 4-neighbour is within SMOOTH_TOL and not zero. */
  gentle: number;
  opaque: number;
  transparent: number;
  /** palette.flatMask(img, FLAT_TOL), which this reproduces. */
  flat: Uint8Array;
  flatCount: number;
}

/**
 * One pass over the pixels, each compared with its right and lower neighbour: strong steps (edges),
 * gentle steps (gradient candidates), and the flat mask (every neighbour opaque and within FLAT_TOL
 * per channel). The pass runs in C (wasm/pixel-stats.c): in JavaScript it was feature extraction's
 * most expensive loop, ≈ 5–6 ns per pixel.
 */
export function pixelStats(img: RgbaImage, FLAT_TOL: number): PixelStats {
  const { width: w, height: h, data } = img;
  const n = w * h;
  bufferView(SLOT.image, n * 4).set(data.subarray(0, n * 4));
  bufferView(SLOT.flat, n);
  const ex = wasm();
  if (ex.tf_pixel_stats(w, h, FLAT_TOL, ALPHA_THRESHOLD, SMOOTH_TOL) !== 0)
    throw new TracefleetError('PIPELINE_FAILED', `pixel statistics failed for a ${w}×${h} image`);
  // Read at once: both views are valid until the next call into the module.
  const flat = bufferView(SLOT.flat, n).slice();
  const [edges, opaque, gentle, flatCount] = new Uint32Array(ex.memory.buffer, ex.tf_pixel_counts(), 4);
  return { edgeDensity: edges / n, gentle, opaque, transparent: n - opaque, flat, flatCount };
}
