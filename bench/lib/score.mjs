// The scorer, with ssim.js for every contestant: input and re-rendered SVG flattened on
// white at the input's size; colour SSIM = mean of per-channel SSIM (ssim.js defaults), grey SSIM of
// Rec.601 luma, bad pixels = off by more than 64/255 in some channel.
import { Resvg } from '@resvg/resvg-js';
import { ssim } from 'ssim.js';
import { unpremultiply } from '@tracefleet/pipeline';

export function flattenOnWhite(data, n) {
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const a = data[p * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round(data[p * 4 + c] * a + 255 * (1 - a));
  }
  return out;
}

function grey(rgb, n, w, h, pick) {
  const data = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    const v = pick(rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]);
    data[p * 4] = v;
    data[p * 4 + 1] = v;
    data[p * 4 + 2] = v;
    data[p * 4 + 3] = 255;
  }
  return { data, width: w, height: h };
}

export function render(svg, width, height) {
  const img = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } }).render();
  const out = new Uint8Array(width * height * 4); // transparent where the render is short of the frame
  // a getter that copies the whole image: read it once; resvg's pixels are premultiplied
  const pixels = unpremultiply(img.pixels);
  for (let y = 0; y < Math.min(height, img.height); y++) {
    out.set(pixels.subarray(y * img.width * 4, y * img.width * 4 + Math.min(width, img.width) * 4), y * width * 4);
  }
  return out;
}

/** reference: {width, height, data: RGBA}; returns {ssim, ssimGrey, badPixelShare}. */
export function score(svg, reference) {
  const { width: w, height: h } = reference;
  const n = w * h;
  const a = flattenOnWhite(reference.data, n);
  const b = flattenOnWhite(render(svg, w, h), n);
  let bad = 0;
  for (let i = 0; i < n * 3; i += 3) {
    if (Math.abs(a[i] - b[i]) > 64 || Math.abs(a[i + 1] - b[i + 1]) > 64 || Math.abs(a[i + 2] - b[i + 2]) > 64) bad++;
  }
  let sum = 0;
  for (let c = 0; c < 3; c++)
    sum += ssim(
      grey(a, n, w, h, (...v) => v[c]),
      grey(b, n, w, h, (...v) => v[c]),
    ).mssim;
  const luma = (r, g, bb) => Math.round(0.299 * r + 0.587 * g + 0.114 * bb);
  return {
    ssim: sum / 3,
    ssimGrey: ssim(grey(a, n, w, h, luma), grey(b, n, w, h, luma)).mssim,
    badPixelShare: bad / n,
  };
}
