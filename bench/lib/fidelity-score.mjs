// Fidelity: a traced SVG against the SOURCE vector the raster was made from (../shared/README.md):
// both rendered at 1024 px on the long side, flattened on white; colour SSIM = mean of R, G, B SSIM
// without downsampling, and the share of pixels off by more than 64/255 in some channel. SSIM is the
// pipeline's implementation of ssim.js's algorithm (checked equal to ssim.js in its tests) with the
// downsampling factor fixed at 1: ssim.js itself takes ~2.4 s per 1024² comparison.
import { ssimPlane } from '@tracefleet/pipeline';
import { renderLong } from './degrade.mjs';
import { render } from './score.mjs';

export const FIDELITY_SIDE = 1024;

/** RGB planes of RGBA flattened on white (integer rounding as the scorer of bench:quality). */
function planesOnWhite(data, n) {
  const planes = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  for (let p = 0; p < n; p++) {
    const a = data[p * 4 + 3];
    for (let c = 0; c < 3; c++) planes[c][p] = Math.round((data[p * 4 + c] * a + 255 * (255 - a)) / 255);
  }
  return planes;
}

/** The reference of one logo: its source SVG at 1024 px on the long side, on white. */
export function reference(sourceSvg) {
  const img = renderLong(sourceSvg, FIDELITY_SIDE);
  return { width: img.width, height: img.height, planes: planesOnWhite(img.data, img.width * img.height) };
}

/** Scores RGBA pixels of the reference's size against it. */
export function scorePixels(ref, rgba) {
  const { width: w, height: h } = ref;
  const n = w * h;
  const b = planesOnWhite(rgba, n);
  let bad = 0;
  let ink = 0;
  for (let p = 0; p < n; p++) {
    let off = false;
    for (let c = 0; c < 3; c++) if (Math.abs(ref.planes[c][p] - b[c][p]) > 64) off = true;
    if (off) bad++;
    if (b[0][p] < 191 || b[1][p] < 191 || b[2][p] < 191) ink++;
  }
  let ssim = 0;
  for (let c = 0; c < 3; c++) ssim += ssimPlane(ref.planes[c], b[c], w, h, 1);
  return { ssim: ssim / 3, badPixelShare: bad / n, inkShare: ink / n };
}

/** Scores a traced SVG (rendered to the reference's frame) against the reference. */
export function scoreSvg(ref, svg) {
  return scorePixels(ref, render(svg, ref.width, ref.height));
}

/** Share of the reference's pixels that are ink (not near-white). */
export function inkShare(ref) {
  const n = ref.width * ref.height;
  let ink = 0;
  for (let p = 0; p < n; p++) if (ref.planes[0][p] < 191 || ref.planes[1][p] < 191 || ref.planes[2][p] < 191) ink++;
  return ink / n;
}
