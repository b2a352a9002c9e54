import sharp from 'sharp';
import type { RgbaImage } from '../image.js';

/**
 * Noise of an image as the standard deviation (8-bit units) of white noise that would explain it:
 * Immerkær's Laplacian-difference operator on luma, made robust to edges by taking the median of
 * its absolute response instead of the mean (a logo's edges are a minority of its pixels). Only
 * fully opaque 3×3 neighbourhoods count. Clean renders give 0; a scan with ±12 noise about 6.
 */
export function estimateNoise(img: RgbaImage): number {
  const { width: w, height: h, data: d } = img;
  if (w < 3 || h < 3) return 0;
  // Every second row and column is plenty for a median, and halves the work.
  const hist = new Uint32Array(4096);
  const luma = (p: number) => 0.299 * d[p * 4] + 0.587 * d[p * 4 + 1] + 0.114 * d[p * 4 + 2];
  let count = 0;
  for (let y = 1; y < h - 1; y += 2) {
    for (let x = 1; x < w - 1; x += 2) {
      const p = y * w + x;
      if (
        d[(p - w - 1) * 4 + 3] < 255 ||
        d[(p - w + 1) * 4 + 3] < 255 ||
        d[(p + w - 1) * 4 + 3] < 255 ||
        d[(p + w + 1) * 4 + 3] < 255 ||
        d[p * 4 + 3] < 255
      )
        continue;
      // N = [1 −2 1; −2 4 −2; 1 −2 1]: zero on flat and linear ramps, 6σ for white noise σ.
      const r =
        luma(p - w - 1) +
        luma(p - w + 1) +
        luma(p + w - 1) +
        luma(p + w + 1) -
        2 * (luma(p - w) + luma(p + w) + luma(p - 1) + luma(p + 1)) +
        4 * luma(p);
      hist[Math.min(4095, Math.round(Math.abs(r)))]++;
      count++;
    }
  }
  if (count < 16) return 0;
  let seen = 0,
    k = 0;
  for (; k < 4096; k++) if ((seen += hist[k]) * 2 >= count) break;
  // |N(0, 36σ²)| has median 0.6745 · 6σ.
  return k / (0.6745 * 6);
}

/** Above this estimated noise (8-bit σ) the tracing copy is denoised and colours clustered loosely. */
export const NOISY_SIGMA = 1.5;

/**
 * Edge-preserving smoothing of the tracing copy: a joint bilateral filter (5×5, spatial σ 1.5) whose
 * range kernel is scaled to the estimated noise, so pixels of the same flat colour average out while
 * a neighbour across an edge (a colour step well above the noise) gets almost no weight. Run twice:
 * the second pass sees the first's much cleaner colours. RGB and alpha are filtered together; the
 * distance includes alpha, so ink never bleeds into transparency.
 */
export function bilateral(img: RgbaImage, sigma: number, passes = 2): RgbaImage {
  const { width: w, height: h } = img;
  if (w < 3 || h < 3) return img;
  let src = img.data;
  const R = 2;
  const spatial: number[] = [];
  for (let dy = -R; dy <= R; dy++) for (let dx = -R; dx <= R; dx++) spatial.push(Math.exp(-(dx * dx + dy * dy) / 4.5));
  for (let pass = 0; pass < passes; pass++) {
    // Range σ: 2.5× the per-channel noise, over four channels (squared colour distance).
    const sr = Math.max(4, 2.5 * sigma) / (pass + 1);
    const inv = 1 / (2 * sr * sr * 4);
    const lut = new Float64Array(1024);
    // Squared distance quantised by 16 (up to 16384, far past where the weight vanishes).
    for (let k = 0; k < 1024; k++) lut[k] = Math.exp(-k * 16 * inv);
    const out = new Uint8Array(src.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        const r0 = src[i],
          g0 = src[i + 1],
          b0 = src[i + 2],
          a0 = src[i + 3];
        let sw = 0,
          sR = 0,
          sG = 0,
          sB = 0,
          sA = 0,
          k = 0;
        for (let dy = -R; dy <= R; dy++) {
          const yy = y + dy < 0 ? -(y + dy) : y + dy >= h ? 2 * h - (y + dy) - 2 : y + dy;
          for (let dx = -R; dx <= R; dx++, k++) {
            const xx = x + dx < 0 ? -(x + dx) : x + dx >= w ? 2 * w - (x + dx) - 2 : x + dx;
            const j = (yy * w + xx) * 4;
            const dr = src[j] - r0,
              dg = src[j + 1] - g0,
              db = src[j + 2] - b0,
              da = src[j + 3] - a0;
            const q = (dr * dr + dg * dg + db * db + da * da) >> 4;
            if (q >= 1024) continue;
            const wt = spatial[k] * lut[q];
            sw += wt;
            sR += wt * src[j];
            sG += wt * src[j + 1];
            sB += wt * src[j + 2];
            sA += wt * src[j + 3];
          }
        }
        out[i] = (sR / sw + 0.5) | 0;
        out[i + 1] = (sG / sw + 0.5) | 0;
        out[i + 2] = (sB / sw + 0.5) | 0;
        out[i + 3] = (sA / sw + 0.5) | 0;
      }
    }
    src = out;
  }
  return { width: w, height: h, data: src };
}

/** A k×k median of an image (libvips): flattens noise and JPEG speckle, keeps straight edges in place. */
export async function medianCopy(img: RgbaImage, k: number): Promise<RgbaImage> {
  const data = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .median(k)
    .raw()
    .toBuffer();
  return { width: img.width, height: img.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
