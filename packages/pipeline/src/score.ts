import { Resvg } from '@resvg/resvg-js';
import { ssim } from 'ssim.js';
import { unpremultiply, type RgbaImage } from './image.js';
import { scratch } from './scratch.js';
import { pixelWords } from './words.js';

/** Scores of a result (defined once, in the contract). */
import type { Quality } from '@tracefleet/contract';
export type { Quality };

/**
 * The SVG's root drawn into exactly width × height, each axis scaled on its own: how a reference
 * scaled down to the scoring size was resized (sides rounded separately, down to 1 px).
 */
function stretchTo(svg: string, width: number, height: number): string {
  return svg.replace(/^<svg\b[^>]*>/, (root) =>
    root
      .replace(/\s(width|height|preserveAspectRatio)="[^"]*"/g, '')
      .replace(/^<svg/, `<svg width="${width}" height="${height}" preserveAspectRatio="none"`),
  );
}

/** The SVG viewBox's aspect (width / height), when it has one. */
function viewBoxAspect(svg: string): number | undefined {
  const m = /^<svg\b[^>]*\sviewBox="\s*[-\d.e]+[\s,]+[-\d.e]+[\s,]+([\d.e]+)[\s,]+([\d.e]+)\s*"/.exec(svg);
  return m && Number(m[2]) > 0 ? Number(m[1]) / Number(m[2]) : undefined;
}

export function renderSvg(svg: string, width: number, height: number): RgbaImage {
  // Fitting the width is exact for a frame of the SVG's own aspect. A reference whose sides were
  // rounded separately (a 4×10,000,000 input scored at 1×2048) would otherwise render millions of rows.
  const aspect = viewBoxAspect(svg);
  if (aspect !== undefined && Math.abs(width / aspect - height) > 1) {
    const r = new Resvg(stretchTo(svg, width, height), { font: { loadSystemFonts: false } });
    const img = r.render();
    return { width: img.width, height: img.height, data: unpremultiply(new Uint8Array(img.pixels)) };
  }
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } });
  const img = r.render();
  const px = img.pixels;
  const data = unpremultiply(new Uint8Array(px.buffer, px.byteOffset, px.length));
  const out = { width: img.width, height: img.height, data };
  if (out.width === width && out.height === height) return out;
  // Rounding of a non-integer aspect: copy into the exact frame.
  const fixed = new Uint8Array(width * height * 4);
  for (let y = 0; y < Math.min(height, out.height); y++) {
    fixed.set(out.data.subarray(y * out.width * 4, y * out.width * 4 + Math.min(width, out.width) * 4), y * width * 4);
  }
  return { width, height, data: fixed };
}

/** ssim.js's downsampling factor ('original'): round(min side / 256), 1 = none. */
export function ssimFactor(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) / 256));
}

/**
 * SSIM as ssim.js computes it with its defaults (Weber's SSIM, 11×11 box window, k1 0.01, k2 0.03,
 * 'original' downsampling by `factor` with a box filter and symmetric padding), on one 8-bit plane.
 * `factor` defaults to ssim.js's own choice (ssimFactor); 1 scores at full resolution. Many times
 * faster than ssim.js: window sums slide over typed arrays (exact integers, so every window's SSIM
 * equals ssim.js's); quality.test.ts checks the agreement on corpus images.
 */
export function ssimPlane(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  factor = ssimFactor(width, height),
): number {
  if (factor <= 1) return meanSsim(a, b, width, height);
  const [x, w, h] = downsample(a, width, height, factor, 'ssim.x');
  const [y] = downsample(b, width, height, factor, 'ssim.y');
  return meanSsim(x, y, w, h);
}

/** Field weights of the packed sums in meanSsim: Σy beside Σx, Σy² beside Σx². */
const Y1 = 1 << 15,
  Y2 = 1 << 23;

/**
 * Mean SSIM over every window position of two planes, in ssim.js's order and arithmetic. Window sums
 * come from column sums kept for the current band of rows, so the work per pixel is a few integer
 * additions and nothing image-sized is allocated. The five sums travel as three numbers — Σx + 2¹⁵Σy
 * (a window's Σ ≤ 121·255 < 2¹⁵, so int32), Σx² + 2²³Σy² (≤ 121·255² < 2²³ each, exact in a double)
 * and Σxy — and are unpacked only where a window differs from the one before.
 */
function meanSsim(x: Uint8Array, y: Uint8Array, w: number, h: number): number {
  // ssim.js cannot score a side under its 11-pixel window (it throws); such tiny images get the
  // largest window that fits, down to one global window.
  const WS = Math.min(11, w, h);
  const N = WS * WS;
  const cs = scratch('ssim.cs', Int32Array, w),
    cq = scratch('ssim.cq', Float64Array, w),
    cp = scratch('ssim.cp', Int32Array, w);
  cs.fill(0);
  cq.fill(0);
  cp.fill(0);
  const L = 255,
    c1 = 0.01 * L * (0.01 * L),
    c2 = 0.03 * L * (0.03 * L);
  const ww = w - WS + 1,
    wh = h - WS + 1;
  for (let r = 0; r < WS - 1; r++) {
    for (let c = 0, o = r * w; c < w; c++, o++) {
      const u = x[o],
        v = y[o];
      cs[c] += u + v * Y1;
      cq[c] += u * u + v * v * Y2;
      cp[c] += u * v;
    }
  }
  let total = 0,
    ssim = 0;
  let ps = -1,
    pq = -1,
    pp = -1;
  for (let r = 0; r < wh; r++) {
    // The band becomes rows r … r + WS − 1: add the new last row, drop the one above.
    const add = (r + WS - 1) * w,
      drop = (r - 1) * w;
    if (r === 0) {
      for (let c = 0; c < w; c++) {
        const u = x[add + c],
          v = y[add + c];
        cs[c] += u + v * Y1;
        cq[c] += u * u + v * v * Y2;
        cp[c] += u * v;
      }
    } else {
      for (let c = 0; c < w; c++) {
        const u = x[add + c],
          v = y[add + c],
          s = x[drop + c],
          t = y[drop + c];
        cs[c] += u - s + (v - t) * Y1;
        cq[c] += u * u - s * s + (v * v - t * t) * Y2;
        cp[c] += u * v - s * t;
      }
    }
    let ss = 0,
      sq = 0,
      sp = 0;
    for (let c = 0; c < WS - 1; c++) {
      ss += cs[c];
      sq += cq[c];
      sp += cp[c];
    }
    for (let c = 0; c < ww; c++) {
      const e = c + WS - 1;
      ss += cs[e];
      sq += cq[e];
      sp += cp[e];
      // A window's SSIM depends on its five sums only: flat areas repeat the last value.
      if (ss !== ps || sq !== pq || sp !== pp) {
        ps = ss;
        pq = sq;
        pp = sp;
        const sy = ss >> 15,
          sx = ss - sy * Y1,
          syy = Math.floor(sq / Y2),
          sxx = sq - syy * Y2;
        const mx = sx / N,
          my = sy / N;
        // Int32 truncation as ssim.js stores these in Int32Arrays.
        const vx = ((1024 * (sxx / N - mx * mx)) | 0) / 1024;
        const vy = ((1024 * (syy / N - my * my)) | 0) / 1024;
        const cv = ((1024 * (sp / N - mx * my)) | 0) / 1024;
        ssim = ((2 * mx * my + c1) * (2 * cv + c2)) / (mx * mx + my * my + c1) / (vx + vy + c2);
      }
      total += ssim;
      ss -= cs[c];
      sq -= cq[c];
      sp -= cp[c];
    }
  }
  // ssim.js averages with a running mean (a division per window, each waiting for the last);
  // a sum agrees with it to ~1e-12, far below the 4 decimals a score keeps.
  return total / (ww * wh);
}

/** ssim.js's 'original' downsampling: f×f box mean with symmetric padding, every f-th sample, rounded. */
function downsample(p: Uint8Array, w: number, h: number, f: number, key: string): [Uint8Array, number, number] {
  const ow = Math.ceil(w / f),
    oh = Math.ceil(h / f);
  const out = scratch(key, Uint8Array, ow * oh);
  if (f === 2) {
    // Window rows/columns 2r−1 and 2r (mirrored at the start); quarters are exact in floating point.
    for (let r = 0; r < oh; r++) {
      const y0 = (r === 0 ? 0 : 2 * r - 1) * w,
        y1 = 2 * r * w;
      const o = r * ow;
      out[o] = ((p[y0] + p[y0] + p[y1] + p[y1]) * 0.25 + 0.5) | 0;
      for (let c = 1, x0 = 1; c < ow; c++, x0 += 2)
        out[o + c] = ((p[y0 + x0] + p[y0 + x0 + 1] + p[y1 + x0] + p[y1 + x0 + 1]) * 0.25 + 0.5) | 0;
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

/** Rec.601 luma of flattened RGB, rounded: the grey plane. */
const luma = (r: number, g: number, b: number) => Math.round(0.299 * r + 0.587 * g + 0.114 * b);

/**
 * One pixel word (little-endian RGBA) flattened on white, packed as 0xYYBBGGRR (Y = luma):
 * round(v·a + 255·(1 − a)), a = alpha/255, in integers.
 */
export function flatPixel(word: number): number {
  const a = word >>> 24;
  if (a === 0) return 0xffffffff | 0;
  let r = word & 255,
    g = (word >> 8) & 255,
    b = (word >> 16) & 255;
  if (a !== 255) {
    const bg = 255 * (255 - a) + 127;
    // The exact value never sits on .5 (denominator 255), so this equals Math.round of the float form.
    r = ((r * a + bg) / 255) | 0;
    g = ((g * a + bg) / 255) | 0;
    b = ((b * a + bg) / 255) | 0;
  }
  return r | (g << 8) | (b << 16) | (luma(r, g, b) << 24);
}

/** Pixel `p` of a flattened word (flatPixel) into the R, G, B and luma planes of `out` (n pixels each). */
function putPlanes(out: Uint8Array, n: number, p: number, f: number): void {
  out[p] = f & 255;
  out[n + p] = (f >> 8) & 255;
  out[2 * n + p] = (f >> 16) & 255;
  out[3 * n + p] = f >>> 24;
}

/**
 * Writes the four scoring planes of `px` (R, G, B, luma; flattened on white) one after the other
 * into `out` (4·n bytes). Runs of one pixel value are flattened once.
 */
function planesOnWhite(px: Int32Array, out: Uint8Array): Uint8Array {
  const n = px.length;
  let last = 0,
    f = flatPixel(0);
  for (let p = 0; p < n; p++) {
    const word = px[p];
    if (word !== last) {
      last = word;
      f = flatPixel(word);
    }
    putPlanes(out, n, p, f);
  }
  return out;
}

/** Channel planes and luma of an image flattened on white: the inputs of every SSIM here. */
export function scorePlanes(img: RgbaImage): { planes: Uint8Array[] } {
  const n = img.width * img.height;
  const all = planesOnWhite(pixelWords(img.data), new Uint8Array(4 * n));
  return { planes: [0, 1, 2, 3].map((c) => all.subarray(c * n, (c + 1) * n)) };
}

/** Whether two flattened pixels (flatPixel) differ by more than 64/255 in some channel. */
const isBad = (f: number, g: number) =>
  Math.abs((f & 255) - (g & 255)) > 64 ||
  Math.abs(((f >> 8) & 255) - ((g >> 8) & 255)) > 64 ||
  Math.abs(((f >> 16) & 255) - ((g >> 16) & 255)) > 64;

/** The four planes (R, G, B, luma) of both images, one after the other, at the SSIM's resolution. */
interface PlanePair {
  a: Uint8Array;
  b: Uint8Array;
  width: number;
  height: number;
  bad: number;
}

/**
 * Flattens both images on white into full-size planes (runs of one pixel value flattened once) and
 * counts bad pixels.
 */
function fullPlanes(ra: Int32Array, cb: Int32Array, width: number, height: number): PlanePair {
  const n = width * height;
  const a = scratch('score.a', Uint8Array, 4 * n),
    b = scratch('score.b', Uint8Array, 4 * n);
  let bad = 0;
  let lastA = 0,
    lastB = 0,
    fa = flatPixel(0),
    fb = fa;
  for (let p = 0; p < n; p++) {
    const wa = ra[p],
      wb = cb[p];
    if (wa !== lastA) {
      lastA = wa;
      fa = flatPixel(wa);
    }
    if (wb !== lastB) {
      lastB = wb;
      fb = flatPixel(wb);
    }
    putPlanes(a, n, p, fa);
    putPlanes(b, n, p, fb);
    if (fa !== fb && isBad(fa, fb)) bad++;
  }
  return { a, b, width, height, bad };
}

/**
 * fullPlanes followed by downsample(…, 2) of every plane, in one pass and without the full-size
 * planes: output pixel (r, c) is the rounded mean of rows 2r − 1 and 2r and columns 2c − 1 and 2c
 * (row and column 0 counted twice: ssim.js's symmetric padding), so input row y feeds output row
 * (y + 1) >> 1 only, and output row r is complete after input row 2r. Sums are exact integers:
 * every output value equals downsample's.
 */
function halfPlanes(ra: Int32Array, cb: Int32Array, w: number, h: number): PlanePair {
  const ow = Math.ceil(w / 2),
    oh = Math.ceil(h / 2),
    on = ow * oh;
  const a = scratch('score.a', Uint8Array, 4 * on),
    b = scratch('score.b', Uint8Array, 4 * on);
  // Sums of the current output row, of a then of b: R, G, B and luma packed ten bits apart
  // (R + 2¹⁰G + 2²⁰B + 2³⁰Y; a sum is at most 4·255 < 2¹⁰, so fields never carry; exact in a double).
  const acc = scratch('score.acc', Float64Array, 2 * ow);
  acc.fill(0);
  let bad = 0;
  let lastA = 0,
    lastB = 0,
    fa = flatPixel(0),
    fb = fa,
    qa = packed(fa),
    qb = qa;
  for (let y = 0, p = 0; y < h; y++) {
    const r = (y + 1) >> 1;
    const used = r < oh;
    const wy = y === 0 ? 2 : 1;
    for (let x = 0; x < w; x++, p++) {
      const wa = ra[p],
        wb = cb[p];
      if (wa !== lastA) {
        lastA = wa;
        fa = flatPixel(wa);
        qa = packed(fa);
      }
      if (wb !== lastB) {
        lastB = wb;
        fb = flatPixel(wb);
        qb = packed(fb);
      }
      if (fa !== fb && isBad(fa, fb)) bad++;
      const c = (x + 1) >> 1;
      if (!used || c >= ow) continue;
      const k = x === 0 ? 2 * wy : wy;
      acc[c] += k * qa;
      acc[ow + c] += k * qb;
    }
    if (!used || (y & 1) !== 0) continue;
    for (let c = 0, o = r * ow; c < ow; c++, o++) {
      unpackMeans(acc[c], a, o, on);
      unpackMeans(acc[ow + c], b, o, on);
    }
    acc.fill(0);
  }
  return { a, b, width: ow, height: oh, bad };
}

/** A flattened pixel (flatPixel) as halfPlanes' packed sum of one: R + 2¹⁰G + 2²⁰B + 2³⁰Y. */
const packed = (f: number) =>
  (f & 255) + ((f >> 8) & 255) * 1024 + ((f >> 16) & 255) * 1048576 + (f >>> 24) * 1073741824;

/** Writes the rounded quarter of each field of a packed sum of four into planes R, G, B, Y at `o`. */
function unpackMeans(sum: number, out: Uint8Array, o: number, n: number): void {
  const lo = sum % 1073741824,
    y = (sum - lo) / 1073741824;
  out[o] = ((lo & 1023) * 0.25 + 0.5) | 0;
  out[n + o] = (((lo >> 10) & 1023) * 0.25 + 0.5) | 0;
  out[2 * n + o] = ((lo >> 20) * 0.25 + 0.5) | 0;
  out[3 * n + o] = (y * 0.25 + 0.5) | 0;
}

/**
 * Colour SSIM, grey SSIM and bad-pixel share of `candidate` against `reference` (same size). One
 * pass over both images flattens them onto white into planes (downsampled in the same pass when
 * ssim.js would halve them) and counts bad pixels; then SSIM per plane.
 */
export function compareImages(reference: RgbaImage, candidate: RgbaImage): Quality {
  const { width: w, height: h } = reference;
  const factor = ssimFactor(w, h);
  const ra = pixelWords(reference.data),
    cb = pixelWords(candidate.data);
  const half = factor === 2;
  const { a, b, width, height, bad } = half ? halfPlanes(ra, cb, w, h) : fullPlanes(ra, cb, w, h);
  const n = width * height;
  // A grey picture (every mono logo on white) has four equal planes: SSIM is a pure function of
  // the pair, so a pair equal to an earlier one takes its value (a memcmp instead of a pass).
  const plane = (p: Uint8Array, c: number) => p.subarray(c * n, (c + 1) * n);
  const s: number[] = [];
  for (let c = 0; c < 4; c++) {
    const same = s.findIndex(
      (_, k) => Buffer.compare(plane(a, c), plane(a, k)) === 0 && Buffer.compare(plane(b, c), plane(b, k)) === 0,
    );
    s.push(
      same >= 0
        ? s[same]
        : half
          ? meanSsim(plane(a, c), plane(b, c), width, height)
          : ssimPlane(plane(a, c), plane(b, c), w, h, factor),
    );
  }
  return { ssim: round4((s[0] + s[1] + s[2]) / 3), ssimGrey: round4(s[3]), badPixelShare: round4(bad / (w * h)) };
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

/**
 * ssim.js with its defaults on one plane (the reference the fast path agrees with); `factor` forces
 * its downsampling factor (1: none) the way ssim.js allows, through maxSize.
 */
export function referenceSsim(a: Uint8Array, b: Uint8Array, w: number, h: number, factor?: number): number {
  const options =
    factor === undefined ? {} : factor <= 1 ? { downsample: false as const } : { maxSize: Math.min(w, h) / factor };
  return ssim(toGreyRgba(a, w, h), toGreyRgba(b, w, h), options).mssim;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export function scoreSvg(svg: string, reference: RgbaImage): Quality {
  return compareImages(reference, renderSvg(svg, reference.width, reference.height));
}
