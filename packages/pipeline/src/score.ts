import { ssim } from 'ssim.js';
import { unpremultiply, type RgbaImage } from './image.js';
import { Resvg } from './resvg.js';
import { TracefleetError } from '@tracefleet/errors';
import { scratch } from './scratch.js';
import { bufferView, SLOT, wasm } from './wasm.js';
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

/** The SVG viewBox's min-x, min-y, width and height, when it has one. */
function viewBoxOf(svg: string): [number, number, number, number] | undefined {
  const m = /^<svg\b[^>]*\sviewBox="\s*([-\d.e]+)[\s,]+([-\d.e]+)[\s,]+([\d.e]+)[\s,]+([\d.e]+)\s*"/.exec(svg);
  return m && Number(m[4]) > 0 ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

/** The SVG viewBox's aspect (width / height), when it has one. */
function viewBoxAspect(svg: string): number | undefined {
  const vb = viewBoxOf(svg);
  return vb && vb[2] / vb[3];
}

/**
 * The SVG drawn into exactly width × height as resvg renders it: premultiplied RGBA (what the
 * score stage hands to wasm/score.c's tf_unpremultiply without a pass in JavaScript).
 */
function renderPremultiplied(svg: string, width: number, height: number): RgbaImage {
  // Fitting the width is exact for a frame of the SVG's own aspect. A reference whose sides were
  // rounded separately (a 4×10,000,000 input scored at 1×2048) would otherwise render millions of rows.
  const aspect = viewBoxAspect(svg);
  const img =
    aspect !== undefined && Math.abs(width / aspect - height) > 1
      ? new Resvg(stretchTo(svg, width, height), { font: { loadSystemFonts: false } }).render()
      : new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } }).render();
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

/** The SVG drawn into exactly width × height, straight alpha. */
export function renderSvg(svg: string, width: number, height: number): RgbaImage {
  const img = renderPremultiplied(svg, width, height);
  return { width: img.width, height: img.height, data: unpremultiply(img.data) };
}

/**
 * What a candidate is scored against: the reference at the score's resolution. ssim.js shrinks both
 * images by ssimFactor (about 256 px on the short side) before it compares them; here the reference
 * is shrunk once per conversion, and each candidate is drawn straight at that size (renderShrunk)
 * instead of full-size and then shrunk — the render and the per-pixel passes cost a quarter (f = 2).
 */
export interface ScoreTarget {
  /** The reference shrunk by `factor`, flattened on white (opaque); the reference itself at factor 1. */
  image: RgbaImage;
  factor: number;
  /** The reference's own size. */
  width: number;
  height: number;
}

/** The score target of a reference (wasm/score.c: tf_score_shrink, ssim.js's downsampling per channel). */
export function scoreTarget(reference: RgbaImage): ScoreTarget {
  const { width: w, height: h } = reference;
  const factor = ssimFactor(w, h);
  if (factor === 1) return { image: reference, factor, width: w, height: h };
  const noMemory = () => new TracefleetError('PIPELINE_FAILED', `no memory to score a ${w}×${h} image`);
  bufferView(SLOT.scoreReference, w * h * 4).set(reference.data.subarray(0, w * h * 4));
  if (wasm().tf_score_shrink(w, h, factor) !== 0) throw noMemory();
  const ow = Math.ceil(w / factor),
    oh = Math.ceil(h / factor);
  return {
    image: { width: ow, height: oh, data: bufferView(SLOT.scoreSmall, ow * oh * 4).slice() },
    factor,
    width: w,
    height: h,
  };
}

/**
 * The SVG drawn at the target's size, premultiplied, each pixel covering the f × f reference pixels
 * that ssim.js's downsampling averages into it (from floor(f/2) pixels before the sample): the
 * viewBox is widened to whole windows and shifted by that offset. Pixels past the reference's far
 * edges are drawn as what lies there (ssim.js mirrors the image instead): a logo's margin.
 */
function renderShrunk(svg: string, t: ScoreTarget): RgbaImage {
  const { factor: f } = t;
  const { width: ow, height: oh } = t.image;
  // An SVG without a viewBox is taken to be drawn in reference pixels.
  const [x, y, vw, vh] = viewBoxOf(svg) ?? [0, 0, t.width, t.height];
  const sx = vw / t.width,
    sy = vh / t.height,
    off = Math.floor(f / 2);
  const root = `<svg width="${ow}" height="${oh}" preserveAspectRatio="none" viewBox="${x - off * sx} ${y - off * sy} ${ow * f * sx} ${oh * f * sy}"`;
  const shrunk = svg.replace(/^<svg\b[^>]*>/, (r) =>
    r.replace(/\s(width|height|preserveAspectRatio|viewBox)="[^"]*"/g, '').replace(/^<svg/, root),
  );
  return renderPremultiplied(shrunk, ow, oh);
}

/** ssim.js's downsampling factor ('original'): round(min side / 256), 1 = none. */
export function ssimFactor(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) / 256));
}

/**
 * SSIM as ssim.js computes it with its defaults (Weber's SSIM, 11×11 box window, k1 0.01, k2 0.03,
 * 'original' downsampling by `factor` with a box filter and symmetric padding), on one 8-bit plane.
 * `factor` defaults to ssim.js's own choice (ssimFactor); 1 scores at full resolution. Many times
 * faster than ssim.js: window sums slide over the planes (exact integers, so every window's SSIM
 * equals ssim.js's; wasm/score.c); quality.test.ts checks the agreement on corpus images.
 */
export function ssimPlane(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  factor = ssimFactor(width, height),
): number {
  const [x, w, h]: [Uint8Array, number, number] =
    factor <= 1 ? [a, width, height] : downsample(a, width, height, factor, 'ssim.x');
  const [y] = factor <= 1 ? [b] : downsample(b, width, height, factor, 'ssim.y');
  const n = w * h;
  bufferView(SLOT.ssimX, n).set(x.subarray(0, n));
  bufferView(SLOT.ssimY, n).set(y.subarray(0, n));
  return meanSsim(SLOT.ssimX, 0, SLOT.ssimY, 0, w, h);
}

const L = 255,
  C1 = 0.01 * L * (0.01 * L),
  C2 = 0.03 * L * (0.03 * L);

/**
 * Mean SSIM over every window position of two planes held by the wasm module (slot and byte offset
 * each), in ssim.js's order and arithmetic: window sums come from column sums kept for the current
 * band of rows, packed (Σx + 2¹⁵Σy, Σx² + 2²³Σy², Σxy: exact), and a window's SSIM is recomputed only
 * where its sums change. ssim.js cannot score a side under its 11-pixel window (it throws); such
 * tiny images get the largest window that fits. ssim.js averages with a running mean; a sum agrees
 * with it to ~1e-12, far below the 4 decimals a score keeps.
 */
function meanSsim(slotX: number, offsetX: number, slotY: number, offsetY: number, w: number, h: number): number {
  const s = wasm().tf_mean_ssim(slotX, offsetX, slotY, offsetY, w, h, C1, C2);
  if (Number.isNaN(s)) throw new TracefleetError('PIPELINE_FAILED', `no memory to score a ${w}×${h} image`);
  return s;
}

/** ssim.js's 'original' downsampling: f×f box mean with symmetric padding, every f-th sample, rounded. */
export function downsample(p: Uint8Array, w: number, h: number, f: number, key: string): [Uint8Array, number, number] {
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

/**
 * Colour SSIM, grey SSIM and bad-pixel share of `candidate` against `reference` (same size). One
 * pass over both images flattens them onto white into planes (downsampled in the same pass when
 * ssim.js would halve them) and counts bad pixels; then SSIM per plane.
 */
export function compareImages(reference: RgbaImage, candidate: RgbaImage): Quality {
  const n = reference.width * reference.height;
  bufferView(SLOT.scoreCandidate, n * 4).set(candidate.data.subarray(0, n * 4));
  return compareWithCandidate(reference);
}

/**
 * The score stage's path: `svg` drawn at the target's size (renderShrunk when the reference is
 * shrunk), unpremultiplied in wasm where compareImages reads it, and compared with the target's
 * image. The straight-alpha render stays in the candidate slot for algorithms/ink.ts's
 * inkRecallOfCandidate, until the next call that writes that slot.
 */
export function scoreCandidate(svg: string, target: ScoreTarget): Quality {
  const { width: w, height: h } = target.image;
  const img = target.factor === 1 ? renderPremultiplied(svg, w, h) : renderShrunk(svg, target);
  bufferView(SLOT.scoreCandidate, w * h * 4).set(img.data.subarray(0, w * h * 4));
  if (wasm().tf_unpremultiply(w * h) !== 0)
    throw new TracefleetError('PIPELINE_FAILED', `no memory to score a ${w}×${h} image`);
  return compareWithCandidate(target.image);
}

/** compareImages against the candidate already in its wasm slot. */
function compareWithCandidate(reference: RgbaImage): Quality {
  const { width: w, height: h } = reference;
  const factor = ssimFactor(w, h);
  const half = factor === 2;
  bufferView(SLOT.scoreReference, w * h * 4).set(reference.data.subarray(0, w * h * 4));
  const ex = wasm();
  if (factor === 1) {
    // Every score of the pipeline (its target is never shrunk again): all four planes in one
    // pass, one SIMD lane each, every lane equal to meanSsim on its plane (score.test.ts).
    const bad = ex.tf_ssim4(w, h, C1, C2);
    if (bad < 0) throw new TracefleetError('PIPELINE_FAILED', `no memory to score a ${w}×${h} image`);
    const s = new Float64Array(ex.memory.buffer, ex.tf_ssim4_result(), 4);
    return { ssim: round4((s[0] + s[1] + s[2]) / 3), ssimGrey: round4(s[3]), badPixelShare: round4(bad / (w * h)) };
  }
  const bad = ex.tf_score_planes(w, h, half ? 1 : 0);
  if (bad < 0) throw new TracefleetError('PIPELINE_FAILED', `no memory to score a ${w}×${h} image`);
  const width = half ? Math.ceil(w / 2) : w,
    height = half ? Math.ceil(h / 2) : h,
    n = width * height;
  // A grey picture (every mono logo on white) has four equal planes: SSIM is a pure function of
  // the pair, so a pair equal to an earlier one takes its value (a memcmp instead of a pass).
  const s: number[] = [];
  for (let c = 0; c < 4; c++) {
    const same = s.findIndex((_, k) => ex.tf_plane_pairs_equal(c, k, n) === 1);
    if (same >= 0) s.push(s[same]);
    else if (factor <= 2) s.push(meanSsim(SLOT.planesA, c * n, SLOT.planesB, c * n, width, height));
    else {
      // Large images: ssim.js downsamples by 3 or more; the planes go out, and back in once shrunk.
      const plane = (slot: number) => bufferView(slot, 4 * n).slice(c * n, (c + 1) * n);
      s.push(ssimPlane(plane(SLOT.planesA), plane(SLOT.planesB), w, h, factor));
    }
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

/** The score the pipeline gives `svg` against `reference` (scoreTarget, then scoreCandidate). */
export function scoreSvg(svg: string, reference: RgbaImage): Quality {
  return scoreCandidate(svg, scoreTarget(reference));
}
