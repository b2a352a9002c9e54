import { Resvg } from '@resvg/resvg-js';
import { ssim } from 'ssim.js';
import type { RgbaImage } from './image.js';

export interface Quality {
  /** Mean of per-channel RGB SSIM, both images flattened on white. */
  ssim: number;
  /** SSIM of Rec.601 luma. */
  ssimGrey: number;
  /** Share of pixels off by more than 64/255 in some channel. */
  badPixelShare: number;
}

export function renderSvg(svg: string, width: number, height: number): RgbaImage {
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } });
  const img = r.render();
  const out = { width: img.width, height: img.height, data: new Uint8Array(img.pixels) };
  if (out.width === width && out.height === height) return out;
  // Rounding of a non-integer aspect: copy into the exact frame.
  const fixed = new Uint8Array(width * height * 4);
  for (let y = 0; y < Math.min(height, out.height); y++) {
    fixed.set(out.data.subarray(y * out.width * 4, y * out.width * 4 + Math.min(width, out.width) * 4), y * width * 4);
  }
  return { width, height, data: fixed };
}

/** RGB on white, 3 bytes per pixel. */
export function flattenOnWhite(img: RgbaImage): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n * 3);
  const d = img.data;
  for (let p = 0; p < n; p++) {
    const a = d[p * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round(d[p * 4 + c] * a + 255 * (1 - a));
  }
  return out;
}

function channelImage(rgb: Uint8Array, n: number, pick: (r: number, g: number, b: number) => number, w: number, h: number) {
  const data = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    const v = pick(rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]);
    data[p * 4] = v; data[p * 4 + 1] = v; data[p * 4 + 2] = v; data[p * 4 + 3] = 255;
  }
  return { data, width: w, height: h };
}

export function compareImages(reference: RgbaImage, candidate: RgbaImage): Quality {
  const { width: w, height: h } = reference;
  const n = w * h;
  const a = flattenOnWhite(reference);
  const b = flattenOnWhite(candidate);
  let bad = 0;
  for (let p = 0; p < n; p++) {
    const i = p * 3;
    if (Math.abs(a[i] - b[i]) > 64 || Math.abs(a[i + 1] - b[i + 1]) > 64 || Math.abs(a[i + 2] - b[i + 2]) > 64) bad++;
  }
  let sum = 0;
  for (let c = 0; c < 3; c++) {
    sum += ssim(channelImage(a, n, (...v) => v[c], w, h), channelImage(b, n, (...v) => v[c], w, h)).mssim;
  }
  const luma = (r: number, g: number, bb: number) => Math.round(0.299 * r + 0.587 * g + 0.114 * bb);
  const grey = ssim(channelImage(a, n, luma, w, h), channelImage(b, n, luma, w, h)).mssim;
  return { ssim: round4(sum / 3), ssimGrey: round4(grey), badPixelShare: round4(bad / n) };
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export function scoreSvg(svg: string, reference: RgbaImage): Quality {
  return compareImages(reference, renderSvg(svg, reference.width, reference.height));
}
