import type { RgbaImage } from '../image.js';
import { TracefleetError } from '@tracefleet/errors';
import { scratch } from '../scratch.js';
import { bufferView, SLOT, wasm, type WasmExports } from '../wasm.js';

/**
 * Gradient regions: connected areas where neighbouring pixels differ only a little (smooth) but the
 * area as a whole spans a wide colour range. Flat fills have one colour, antialiased edges are thin,
 * so neither forms such a region. Each region is fitted with a linear or radial gradient whose stops
 * are the mean colours of bins along the gradient axis; it counts as "confident" when the fit
 * explains the region far better than its mean colour would.
 */
export interface GradientStop {
  offset: number;
  color: string;
}

export interface GradientRegion {
  kind: 'linear' | 'radial';
  /** A pixel of the region (tracing coordinates): the region is found again by flood fill from here. */
  seed: [number, number];
  /** Share of the opaque pixels. */
  share: number;
  /** linear: x1,y1 → x2,y2; radial: centre x1,y1 and radius r (tracing pixels). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  r: number;
  stops: GradientStop[];
  /** RMS error of the fit (0–255) and of the region's mean colour, for confidence. */
  rms: number;
  rmsFlat: number;
  confident: boolean;
}

/** Neighbours closer than this in every channel (and alpha) are "smooth" neighbours. */
export const SMOOTH_TOL = 4;
const MIN_RANGE = 40;
const BINS = 12;

/**
 * The image into the wasm module and the flood's state cleared: the per-pixel passes below run in
 * C (wasm/gradients.c) on the region the last flood found, in the module's queue.
 */
function loadImage(img: RgbaImage): WasmExports {
  const n = img.width * img.height;
  bufferView(SLOT.image, n * 4).set(img.data.subarray(0, n * 4));
  const ex = wasm();
  if (ex.tf_smooth_reset(img.width, img.height) !== 0)
    throw new TracefleetError(
      'PIPELINE_FAILED',
      `no memory to look for gradients in a ${img.width}×${img.height} image`,
    );
  return ex;
}

/** The last flood's region (pixel indices, in flood order) as a scratch copy, valid until the next call. */
function regionCopy(length: number): Int32Array {
  const out = scratch('smooth.region', Int32Array, length);
  const ex = wasm();
  out.set(new Int32Array(ex.memory.buffer, ex.tf_buffer(SLOT.smoothQueue, 0), length));
  return out;
}

const hex = (r: number, g: number, b: number) =>
  '#' +
  [r, g, b]
    .map((v) =>
      Math.max(0, Math.min(255, Math.round(v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('');

/** Least squares for y ≈ X·β with a small normal-equation solve (Gaussian elimination); ata is n × n, row-major. */
function solve(ata: Float64Array, atb: Float64Array): number[] | undefined {
  const n = atb.length;
  const m = Array.from({ length: n }, (_, i) => [...ata.subarray(i * n, i * n + n), atb[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    if (Math.abs(m[piv][c]) < 1e-9) return undefined;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const k = m[r][c] / m[c][c];
      for (let k2 = c; k2 <= n; k2++) m[r][k2] -= k * m[c][k2];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * Least squares over `count` samples: row s is rows[s·n … s·n+n) (n = the first `n` of `stride`
 * columns), its value ys[s]. Flat arrays: the samples were nested arrays, and allocating them was
 * the largest single cost of fitting a raster logo's gradients; the sums are the same, in the same
 * order. XᵀX is symmetric and a·b = b·a exactly, so only its upper half is summed, then mirrored.
 */
function fitLeastSquares(
  rows: Float64Array,
  stride: number,
  n: number,
  ys: Float64Array,
  count: number,
): number[] | undefined {
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  for (let s = 0, r = 0; s < count; s++, r += stride) {
    const y = ys[s];
    for (let a = 0; a < n; a++) {
      const va = rows[r + a];
      atb[a] += va * y;
      for (let b = a; b < n; b++) ata[a * n + b] += va * rows[r + b];
    }
  }
  for (let a = 1; a < n; a++) for (let b = 0; b < a; b++) ata[a * n + b] = ata[b * n + a];
  return solve(ata, atb);
}

interface BinFit {
  stops: GradientStop[];
  rms: number;
  t0: number;
  t1: number;
}

/**
 * Bins the last flooded region along the positions in the module (tf_gradient_positions), takes mean
 * colours as stops, and measures the error of the gradient they make.
 */
function binFit(ex: WasmExports, pixels: number): BinFit {
  ex.tf_gradient_bins();
  const io = new Float64Array(ex.memory.buffer, ex.tf_gradient_io(), 4 + BINS * 4);
  const t0 = io[0],
    t1 = io[1];
  const span = t1 - t0 || 1;
  const offs: number[] = [];
  const cols: number[][] = [];
  for (let b = 0; b < BINS; b++) {
    const n = io[4 + b * 4 + 3];
    if (n === 0) continue;
    offs.push((b + 0.5) / BINS);
    cols.push([io[4 + b * 4] / n, io[4 + b * 4 + 1] / n, io[4 + b * 4 + 2] / n]);
  }
  // Error against the colour interpolated at t, as the SVG renderer will paint it (pad beyond the
  // end stops), per pixel in C: the stops go in as offsets, then reds, greens and blues.
  offs.forEach((o, s) => {
    io[4 + s] = o;
    for (let c = 0; c < 3; c++) io[4 + (c + 1) * BINS + s] = cols[s][c];
  });
  const err = ex.tf_gradient_error(offs.length, t0, span);
  // Drop stops that linear interpolation of their neighbours already gives.
  const keep = [0];
  for (let s = 1; s < offs.length - 1; s++) {
    const a = keep[keep.length - 1];
    const f = (offs[s] - offs[a]) / (offs[s + 1] - offs[a]);
    const dev = Math.max(...[0, 1, 2].map((c) => Math.abs(cols[a][c] * (1 - f) + cols[s + 1][c] * f - cols[s][c])));
    if (dev > 2) keep.push(s);
  }
  if (offs.length > 1) keep.push(offs.length - 1);
  const stops = keep.map((s) => ({
    offset: Math.round(offs[s] * 1000) / 1000,
    color: hex(cols[s][0], cols[s][1], cols[s][2]),
  }));
  return { stops, rms: Math.sqrt(err / (pixels * 3)), t0, t1 };
}

/** Fits the last flooded region (`pix`: a copy of its pixels) with a linear and a radial gradient. */
function fitRegion(ex: WasmExports, img: RgbaImage, pix: Int32Array, opaque: number): GradientRegion | undefined {
  const { width: w, data: d } = img;
  // Subsample for the least-squares fits: the geometry needs few points.
  const step = Math.max(1, Math.floor(pix.length / 4000));
  const samples = Math.ceil(pix.length / step);
  const rows = new Float64Array(samples * 4); // 1, x, y, x² + y²
  const lum = new Float64Array(samples);
  const rgb = [new Float64Array(samples), new Float64Array(samples), new Float64Array(samples)];
  ex.tf_region_moments(w, step);
  const moments = new Float64Array(ex.memory.buffer, ex.tf_gradient_io(), 3);
  const rmsFlat = Math.sqrt(moments[0] / (pix.length * 3));
  const cx = moments[1] / samples,
    cy = moments[2] / samples;
  for (let k = 0, s = 0; k < pix.length; k += step, s++) {
    const p = pix[k];
    const x = (p % w) - cx,
      y = Math.floor(p / w) - cy;
    const i = p * 4;
    rows[4 * s] = 1;
    rows[4 * s + 1] = x;
    rows[4 * s + 2] = y;
    rows[4 * s + 3] = x * x + y * y;
    lum[s] = d[i] + d[i + 1] + d[i + 2];
    for (let c = 0; c < 3; c++) rgb[c][s] = d[i + c];
  }
  // Linear: direction of the strongest colour change (channels aligned by sign with the largest).
  const planes = [0, 1, 2].map((c) => fitLeastSquares(rows, 4, 3, rgb[c], samples));
  let dir: [number, number] | undefined;
  if (planes.every(Boolean)) {
    const g = planes.map((p) => [p![1], p![2]]);
    const big = g.reduce((a, b) => (Math.hypot(b[0], b[1]) > Math.hypot(a[0], a[1]) ? b : a));
    let vx = 0,
      vy = 0;
    for (const v of g) {
      const s = v[0] * big[0] + v[1] * big[1] >= 0 ? 1 : -1;
      vx += s * v[0];
      vy += s * v[1];
    }
    const len = Math.hypot(vx, vy);
    if (len > 1e-6) dir = [vx / len, vy / len];
  }
  let linear: (BinFit & { dir: [number, number] }) | undefined;
  if (dir) {
    if (ex.tf_gradient_positions(w, 0, cx, cy, dir[0], dir[1]) !== 0) return undefined;
    linear = { ...binFit(ex, pix.length), dir };
  }
  // Radial: a paraboloid fit of brightness gives the centre.
  let radial: (BinFit & { c: [number, number] }) | undefined;
  const q = fitLeastSquares(rows, 4, 4, lum, samples);
  if (q && Math.abs(q[3]) > 1e-6) {
    const ox = -q[1] / (2 * q[3]),
      oy = -q[2] / (2 * q[3]);
    const xs = pix.length > 0 ? Math.sqrt(pix.length) : 1;
    if (Math.hypot(ox, oy) < xs * 1.5) {
      if (ex.tf_gradient_positions(w, 1, cx, cy, ox, oy) !== 0) return undefined;
      radial = { ...binFit(ex, pix.length), c: [ox + cx, oy + cy] };
    }
  }
  const best = radial && (!linear || radial.rms < linear.rms * 0.8) ? radial : linear;
  if (!best) return undefined;
  const x0 = pix[0] % w,
    y0 = Math.floor(pix[0] / w);
  const base = {
    seed: [x0, y0] as [number, number],
    share: Math.round((pix.length / opaque) * 10000) / 10000,
    stops: best.stops,
    rms: Math.round(best.rms * 100) / 100,
    rmsFlat: Math.round(rmsFlat * 100) / 100,
  };
  const confident = best.stops.length >= 2 && best.rms < 4.5 && best.rms < rmsFlat * 0.3;
  const r2 = (v: number) => Math.round(v * 100) / 100;
  if (best === radial) {
    return {
      kind: 'radial',
      ...base,
      x1: r2(radial.c[0]),
      y1: r2(radial.c[1]),
      x2: r2(radial.c[0]),
      y2: r2(radial.c[1]),
      r: r2(radial.t1),
      confident,
      stops: radial.stops.map((s) => ({
        ...s,
        offset: Math.round(((radial.t0 + s.offset * (radial.t1 - radial.t0)) / (radial.t1 || 1)) * 1000) / 1000,
      })),
    };
  }
  const l = linear!;
  return {
    kind: 'linear',
    ...base,
    x1: r2(cx + l.dir[0] * l.t0),
    y1: r2(cy + l.dir[1] * l.t0),
    x2: r2(cx + l.dir[0] * l.t1),
    y2: r2(cy + l.dir[1] * l.t1),
    r: 0,
    confident,
  };
}

export interface SmoothAnalysis {
  regions: GradientRegion[];
  /** 1 where a pixel belongs to a confident gradient region. */
  mask: Uint8Array;
  /** Share of opaque pixels in smooth, wide-range (gradient-like) regions, confident or not. */
  smoothShare: number;
}

/** Finds gradient-like regions of at least `minShare` of the opaque pixels. */
export function findGradients(img: RgbaImage, opaque: number, minShare = 0.01): SmoothAnalysis {
  const { width: w, height: h, data: d } = img;
  const n = w * h;
  const ex = loadImage(img);
  const mask = new Uint8Array(n);
  const regions: GradientRegion[] = [];
  let smoothPixels = 0;
  const minSize = Math.max(200, opaque * minShare);
  // Regions under minSize are flooded (so never again) and passed over in C.
  for (let p = ex.tf_smooth_next(w, h, 0, minSize); p >= 0; p = ex.tf_smooth_next(w, h, p + 1, minSize)) {
    const pix = regionCopy(ex.tf_smooth_length());
    const lo = [255, 255, 255],
      hi = [0, 0, 0];
    for (let k = 0; k < pix.length; k += 3) {
      const i = pix[k] * 4;
      for (let c = 0; c < 3; c++) {
        if (d[i + c] < lo[c]) lo[c] = d[i + c];
        if (d[i + c] > hi[c]) hi[c] = d[i + c];
      }
    }
    if (Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) < MIN_RANGE) continue;
    smoothPixels += pix.length;
    const region = fitRegion(ex, img, pix, opaque);
    if (!region) continue;
    regions.push(region);
    if (region.confident) for (let k = 0; k < pix.length; k++) mask[pix[k]] = 1;
  }
  return { regions, mask, smoothShare: opaque ? smoothPixels / opaque : 0 };
}

/**
 * The pixels of a region again, from its seed (for features that came from a cache); a scratch view,
 * valid until the next call.
 */
export function regionPixels(img: RgbaImage, region: GradientRegion): Int32Array {
  const [x, y] = region.seed;
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return new Int32Array(0);
  return regionCopy(loadImage(img).tf_smooth_flood(img.width, img.height, y * img.width + x));
}
