import { Resvg } from '@resvg/resvg-js';
import { ssim } from 'ssim.js';
import type { RgbaImage } from './image.js';
import { scratch } from './scratch.js';

/** Scores of a result (defined once, in the contract). */
import type { Quality } from '@tracefleet/contract';
export type { Quality };

export function renderSvg(svg: string, width: number, height: number): RgbaImage {
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } });
  const img = r.render();
  const px = img.pixels;
  const out = { width: img.width, height: img.height, data: new Uint8Array(px.buffer, px.byteOffset, px.length) };
  if (out.width === width && out.height === height) return out;
  // Rounding of a non-integer aspect: copy into the exact frame.
  const fixed = new Uint8Array(width * height * 4);
  for (let y = 0; y < Math.min(height, out.height); y++) {
    fixed.set(out.data.subarray(y * out.width * 4, y * out.width * 4 + Math.min(width, out.width) * 4), y * width * 4);
  }
  return { width, height, data: fixed };
}

/** RGB on white, 3 bytes per pixel: round(v·a + 255·(1 − a)), a = alpha/255, in integers. */
export function flattenOnWhite(img: RgbaImage, out = new Uint8Array(img.width * img.height * 3)): Uint8Array {
  const n = img.width * img.height;
  const d = img.data;
  for (let p = 0, i = 0, o = 0; p < n; p++, i += 4, o += 3) {
    const a = d[i + 3];
    if (a === 255) {
      out[o] = d[i];
      out[o + 1] = d[i + 1];
      out[o + 2] = d[i + 2];
      continue;
    }
    const bg = 255 * (255 - a) + 127;
    // The exact value never sits on .5 (denominator 255), so this equals Math.round of the float form.
    out[o] = ((d[i] * a + bg) / 255) | 0;
    out[o + 1] = ((d[i + 1] * a + bg) / 255) | 0;
    out[o + 2] = ((d[i + 2] * a + bg) / 255) | 0;
  }
  return out;
}

/**
 * SSIM exactly as ssim.js computes it with its defaults (Weber's integral-image SSIM, 11×11 box
 * window, k1 0.01, k2 0.03, 'original' downsampling by round(min side / 256) with a box filter and
 * symmetric padding), on one 8-bit plane. Several times faster than ssim.js because it works on
 * typed arrays in one pass; pipeline.test.ts checks the agreement on corpus images.
 */
export function ssimPlane(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  const f = Math.round(Math.min(width, height) / 256);
  let w = width,
    h = height;
  let xi: Int32Array, yi: Int32Array;
  if (f > 1) {
    [xi, w, h] = downsample(a, width, height, f, 'ssim.x');
    [yi] = downsample(b, width, height, f, 'ssim.y');
  } else {
    xi = scratch('ssim.x', Int32Array, w * h);
    xi.set(a);
    yi = scratch('ssim.y', Int32Array, w * h);
    yi.set(b);
  }
  // ssim.js cannot score a side under its 11-pixel window (it throws); such tiny images get the
  // largest window that fits, down to one global window.
  const WS = Math.min(11, w, h);
  const W1 = w + 1;
  const size = W1 * (h + 1);
  const s1 = scratch('ssim.s1', Float64Array, size),
    s2 = scratch('ssim.s2', Float64Array, size),
    q1 = scratch('ssim.q1', Float64Array, size);
  const q2 = scratch('ssim.q2', Float64Array, size),
    pr = scratch('ssim.pr', Float64Array, size);
  // Integral images with a zero last row and column (the buffers are reused: clear just those).
  for (const t of [s1, s2, q1, q2, pr]) {
    t.fill(0, h * W1, size);
    for (let r = 0; r < h; r++) t[r * W1 + w] = 0;
  }
  for (let r = h - 1; r >= 0; r--) {
    for (let c = w - 1; c >= 0; c--) {
      const o = r * W1 + c,
        rr = o + 1,
        bb = o + W1,
        br = o + W1 + 1;
      const u = xi[r * w + c],
        v = yi[r * w + c];
      s1[o] = u + s1[rr] + s1[bb] - s1[br];
      s2[o] = v + s2[rr] + s2[bb] - s2[br];
      q1[o] = u * u + q1[rr] + q1[bb] - q1[br];
      q2[o] = v * v + q2[rr] + q2[bb] - q2[br];
      pr[o] = u * v + pr[rr] + pr[bb] - pr[br];
    }
  }
  const L = 255,
    c1 = 0.01 * L * (0.01 * L),
    c2 = 0.03 * L * (0.03 * L);
  const N = WS * WS;
  const ww = w - WS + 1,
    wh = h - WS + 1;
  const dy = WS * W1;
  let mssim = 0;
  let i = 0;
  for (let r = 0; r < wh; r++) {
    for (let c = 0, o = r * W1; c < ww; c++, i++, o++) {
      const o2 = o + WS,
        o3 = o + dy,
        o4 = o3 + WS;
      const mx = (s1[o] - s1[o2] - s1[o3] + s1[o4]) / N,
        my = (s2[o] - s2[o2] - s2[o3] + s2[o4]) / N;
      // Int32 truncation as ssim.js stores these in Int32Arrays.
      const vx = ((1024 * ((q1[o] - q1[o2] - q1[o3] + q1[o4]) / N - mx * mx)) | 0) / 1024;
      const vy = ((1024 * ((q2[o] - q2[o2] - q2[o3] + q2[o4]) / N - my * my)) | 0) / 1024;
      const cv = ((1024 * ((pr[o] - pr[o2] - pr[o3] + pr[o4]) / N - mx * my)) | 0) / 1024;
      const ssim = ((2 * mx * my + c1) * (2 * cv + c2)) / (mx * mx + my * my + c1) / (vx + vy + c2);
      mssim = i === 0 ? ssim : mssim + (ssim - mssim) / (i + 1);
    }
  }
  return mssim;
}

/** ssim.js's 'original' downsampling: f×f box mean with symmetric padding, every f-th sample, rounded. */
function downsample(p: Uint8Array, w: number, h: number, f: number, key: string): [Int32Array, number, number] {
  const ow = Math.ceil(w / f),
    oh = Math.ceil(h / f);
  const out = scratch(key, Int32Array, ow * oh);
  if (f === 2) {
    // Window rows/columns 2r−1 and 2r (mirrored at the start); quarters are exact in floating point.
    for (let r = 0; r < oh; r++) {
      const y0 = (r === 0 ? 0 : 2 * r - 1) * w,
        y1 = 2 * r * w;
      for (let c = 0; c < ow; c++) {
        const x0 = c === 0 ? 0 : 2 * c - 1,
          x1 = 2 * c;
        out[r * ow + c] = ((p[y0 + x0] + p[y0 + x1] + p[y1 + x0] + p[y1 + x1]) * 0.25 + 0.5) | 0;
      }
    }
    return [out, ow, oh];
  }
  const off = Math.floor(f / 2);
  const mirror = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);
  const k = 1 / (f * f);
  for (let r = 0; r < oh; r++) {
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) {
        const yy = mirror(r * f - off + dy, h) * w;
        for (let dx = 0; dx < f; dx++) s += p[yy + mirror(c * f - off + dx, w)] * k;
      }
      out[r * ow + c] = (s + 0.5) | 0;
    }
  }
  return [out, ow, oh];
}

/** Plane c (0–2: R, G, B; 3: Rec.601 luma) of RGB bytes, into `out`. */
function plane(rgb: Uint8Array, n: number, c: number, out: Uint8Array): Uint8Array {
  if (c < 3) for (let p = 0; p < n; p++) out[p] = rgb[p * 3 + c];
  else
    for (let p = 0; p < n; p++)
      out[p] = Math.round(0.299 * rgb[p * 3] + 0.587 * rgb[p * 3 + 1] + 0.114 * rgb[p * 3 + 2]);
  return out;
}

/** Channel planes and luma of an image flattened on white: the inputs of every SSIM here. */
export function scorePlanes(img: RgbaImage): { rgb: Uint8Array; planes: Uint8Array[] } {
  const n = img.width * img.height;
  const rgb = flattenOnWhite(img);
  return { rgb, planes: [0, 1, 2, 3].map((c) => plane(rgb, n, c, new Uint8Array(n))) };
}

export function compareImages(reference: RgbaImage, candidate: RgbaImage): Quality {
  const { width: w, height: h } = reference;
  const n = w * h;
  const a = flattenOnWhite(reference, scratch('score.a', Uint8Array, n * 3));
  const b = flattenOnWhite(candidate, scratch('score.b', Uint8Array, n * 3));
  let bad = 0;
  for (let p = 0; p < n; p++) {
    const i = p * 3;
    if (Math.abs(a[i] - b[i]) > 64 || Math.abs(a[i + 1] - b[i + 1]) > 64 || Math.abs(a[i + 2] - b[i + 2]) > 64) bad++;
  }
  const pa = scratch('score.pa', Uint8Array, n),
    pb = scratch('score.pb', Uint8Array, n);
  const s = [0, 1, 2, 3].map((c) => ssimPlane(plane(a, n, c, pa), plane(b, n, c, pb), w, h));
  return { ssim: round4((s[0] + s[1] + s[2]) / 3), ssimGrey: round4(s[3]), badPixelShare: round4(bad / n) };
}

function toGreyRgba(p: Uint8Array, w: number, h: number) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < p.length; i++) {
    data[i * 4] = p[i];
    data[i * 4 + 1] = p[i];
    data[i * 4 + 2] = p[i];
    data[i * 4 + 3] = 255;
  }
  return { data, width: w, height: h };
}

/** ssim.js with its defaults on one plane (the reference the fast path agrees with). */
export function referenceSsim(a: Uint8Array, b: Uint8Array, w: number, h: number): number {
  return ssim(toGreyRgba(a, w, h), toGreyRgba(b, w, h)).mssim;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export function scoreSvg(svg: string, reference: RgbaImage): Quality {
  return compareImages(reference, renderSvg(svg, reference.width, reference.height));
}
