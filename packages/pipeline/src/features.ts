import { toHex } from './color.js';
import { findGradients, SMOOTH_TOL, type GradientRegion } from './gradient.js';
import type { RgbaImage } from './image.js';
import { scratch } from './scratch.js';
import { pixelWords } from './words.js';
import { ALPHA_THRESHOLD, buildPalette, lineColours } from './palette.js';

/**
 * Bumped whenever extraction changes what it returns for the same pixels. Features are cached by
 * image hash + this version (packages/converter), independently of conversion options.
 */
export const FEATURES_VERSION = '3';

export type LogoType = 'simple' | 'text' | 'gradient' | 'complex';

/** What the pipeline learns about an image before tracing; plain JSON, cacheable on its own. */
export interface Features {
  version: string;
  /** Input size (after EXIF rotation) and the tracing size the pixel measures refer to. */
  width: number;
  height: number;
  traceWidth: number;
  traceHeight: number;
  aspect: number;
  hasAlpha: boolean;
  /** Share of pixels below the ink alpha threshold. */
  transparentShare: number;
  /** Perceptual palette of the flat pixels (Lab, near-duplicates merged, specks dropped), most frequent first. */
  palette: Array<{ color: string; share: number; line?: true }>;
  /** Up to five most frequent palette colours. */
  dominant: string[];
  /** Share of pixels with a strong colour step to a neighbour. */
  edgeDensity: number;
  /** Share of opaque pixels that are not flat (antialiasing, noise, gradients). */
  antialiasShare: number;
  /** Gradient regions found (confident ones are drawn with SVG gradients). */
  gradients: GradientRegion[];
  /** Share of opaque pixels in confident gradient regions. */
  gradientShare: number;
  /** Share of opaque pixels in smooth wide-range regions, confident or not. */
  smoothShare: number;
  /** 0–1: many separate ink shapes of one height in a row, like letters. */
  textLikeness: number;
  /** 0–1: palette size and edge density combined. */
  complexity: number;
  logoType: LogoType;
}

const MAX_PALETTE = 64;

/**
 * What extraction computed anyway and the conversion in the same thread can reuse (not JSON, so
 * features from a cache simply go without): the flat mask, and each pixel's nearest flat colour.
 */
interface Reusable {
  flat: Uint8Array;
  labels?: { colors: number[]; labels: Int16Array };
}
const reusable = new WeakMap<Features, Reusable>();
export const flatMaskOf = (f: Features): Uint8Array | undefined => reusable.get(f)?.flat;
/** Labels from assignLabels(image, palette) when extraction labelled with exactly these colours. */
export function labelsFor(f: Features, colors: readonly number[]): Int16Array | undefined {
  const l = reusable.get(f)?.labels;
  if (!l || l.colors.length !== colors.length || l.colors.some((c, k) => c !== colors[k])) return undefined;
  return l.labels.slice();
}

interface PixelStats {
  edgeDensity: number;
  gentle: number;
  opaque: number;
  transparent: number;
  flat: Uint8Array;
  flatCount: number;
}

/**
 * One pass over the pixels, each compared with its right and lower neighbour: strong steps (edges),
 * gentle steps (gradient candidates), and the flat mask (every neighbour opaque and within FLAT_TOL
 * per channel; see palette.flatMask, which this reproduces). Steps of the row above and the pixel to
 * the left are carried along, so nothing image-sized but the mask is allocated; equal neighbours
 * (most pixel pairs in a logo) are one word comparison.
 */
function pixelStats(img: RgbaImage, FLAT_TOL: number): PixelStats {
  const { width: w, height: h, data: d } = img;
  const n = w * h;
  const px = pixelWords(d);
  const T = ALPHA_THRESHOLD;
  // Largest RGB step (255 where there is no neighbour) and largest step including alpha, of the
  // row above's downward pairs.
  const upRgb = new Uint8Array(w),
    upStep = new Uint8Array(w);
  const flat = new Uint8Array(n);
  let edges = 0,
    opaque = 0,
    gentle = 0,
    flatCount = 0;
  for (let y = 0, p = 0; y < h; y++) {
    const lastRow = y === h - 1;
    let leftRgb = 255,
      leftStep = 0;
    for (let x = 0; x < w; x++, p++) {
      const i = p * 4;
      const word = px[p];
      // Inside a run of one pixel value (left, upper, right and lower neighbours equal): no step,
      // flat when opaque. Most pixels of a logo take this path.
      if (leftStep === 0 && upStep[x] === 0 && x < w - 1 && !lastRow && px[p + 1] === word && px[p + w] === word) {
        if (d[i + 3] >= T) {
          opaque++;
          flat[p] = 1;
          flatCount++;
        }
        leftRgb = 0;
        upRgb[x] = 0;
        continue;
      }
      const a = d[i + 3];
      let rRgb = 255,
        rStep = 0,
        dRgb = 255,
        dStep = 0;
      if (x < w - 1) {
        if (px[p + 1] === word) rRgb = 0;
        else {
          const dr = Math.abs(d[i] - d[i + 4]),
            dg = Math.abs(d[i + 1] - d[i + 5]),
            db = Math.abs(d[i + 2] - d[i + 6]);
          rRgb = dr > dg ? (dr > db ? dr : db) : dg > db ? dg : db;
          const da = Math.abs(a - d[i + 7]);
          rStep = rRgb > da ? rRgb : da;
        }
      }
      if (!lastRow) {
        const j = i + w * 4;
        if (px[p + w] === word) dRgb = 0;
        else {
          const dr = Math.abs(d[i] - d[j]),
            dg = Math.abs(d[i + 1] - d[j + 1]),
            db = Math.abs(d[i + 2] - d[j + 2]);
          dRgb = dr > dg ? (dr > db ? dr : db) : dg > db ? dg : db;
          const da = Math.abs(a - d[j + 3]);
          dStep = dRgb > da ? dRgb : da;
        }
      }
      if ((rStep > dStep ? rStep : dStep) > 48) edges++;
      if (a >= T) {
        opaque++;
        // Gentle: every step around the pixel small and one not zero — inside a gradient, not on an
        // antialiased edge (which has a strong step on one side).
        if (a === 255) {
          const u = upStep[x];
          let mx = rStep > dStep ? rStep : dStep;
          if (leftStep > mx) mx = leftStep;
          if (u > mx) mx = u;
          if (mx > 0 && mx <= SMOOTH_TOL) gentle++;
        }
        if (
          (x === 0 || (leftRgb <= FLAT_TOL && d[i - 1] >= T)) &&
          (x === w - 1 || (rRgb <= FLAT_TOL && d[i + 7] >= T)) &&
          (y === 0 || (upRgb[x] <= FLAT_TOL && d[i - w * 4 + 3] >= T)) &&
          (lastRow || (dRgb <= FLAT_TOL && d[i + w * 4 + 3] >= T))
        ) {
          flat[p] = 1;
          flatCount++;
        }
      }
      leftRgb = rRgb;
      leftStep = rStep;
      upRgb[x] = dRgb;
      upStep[x] = dStep;
    }
  }
  return { edgeDensity: edges / n, gentle, opaque, transparent: n - opaque, flat, flatCount };
}

/**
 * Text-likeness: ink (opaque and unlike the background) split into connected shapes; letters are
 * several shapes of about one height, small against the image.
 */
function textLikeness(img: RgbaImage, background: number | undefined): number {
  // Every second pixel each way: letters survive, the flood fill costs a quarter.
  const w = img.width >> 1,
    h = img.height >> 1,
    d = img.data;
  const n = w * h;
  const ink = scratch('text.ink', Uint8Array, n).fill(0);
  const br = background === undefined ? 0 : (background >> 16) & 255,
    bg = background === undefined ? 0 : (background >> 8) & 255,
    bb = background === undefined ? 0 : background & 255;
  for (let p = 0; p < n; p++) {
    const i = (((p / w) | 0) * 2 * img.width + (p % w) * 2) * 4;
    if (d[i + 3] < ALPHA_THRESHOLD) continue;
    if (background !== undefined && Math.abs(d[i] - br) + Math.abs(d[i + 1] - bg) + Math.abs(d[i + 2] - bb) < 60)
      continue;
    ink[p] = 1;
  }
  const queue = scratch('text.queue', Int32Array, n);
  const heights: number[] = [];
  const minArea = Math.max(3, n * 0.0002);
  for (let s = 0; s < n; s++) {
    if (ink[s] !== 1) continue;
    let head = 0,
      tail = 0,
      y0 = h,
      y1 = 0;
    queue[tail++] = s;
    ink[s] = 2;
    while (head < tail) {
      const p = queue[head++];
      const x = p % w,
        y = (p - x) / w;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && ink[p - 1] === 1) {
        ink[p - 1] = 2;
        queue[tail++] = p - 1;
      }
      if (x < w - 1 && ink[p + 1] === 1) {
        ink[p + 1] = 2;
        queue[tail++] = p + 1;
      }
      if (y > 0 && ink[p - w] === 1) {
        ink[p - w] = 2;
        queue[tail++] = p - w;
      }
      if (y < h - 1 && ink[p + w] === 1) {
        ink[p + w] = 2;
        queue[tail++] = p + w;
      }
    }
    if (tail >= minArea) heights.push(y1 - y0 + 1);
  }
  if (heights.length < 4) return 0;
  const sorted = [...heights].sort((a, b) => a - b);
  const med = sorted[sorted.length >> 1];
  if (med > h * 0.7) return 0;
  const alike = heights.filter((x) => Math.abs(x - med) <= med * 0.35).length / heights.length;
  return Math.round(alike * Math.min(1, heights.length / 8) * 1000) / 1000;
}

/** Most common colour on the border of an opaque image; undefined when the border is transparent. */
function borderColour(img: RgbaImage): number | undefined {
  const { width: w, height: h, data: d } = img;
  const counts = new Map<number, number>();
  let transparent = 0;
  const add = (p: number) => {
    const i = p * 4;
    if (d[i + 3] < ALPHA_THRESHOLD) {
      transparent++;
      return;
    }
    const c = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    counts.set(c, (counts.get(c) ?? 0) + 1);
  };
  for (let x = 0; x < w; x++) {
    add(x);
    add((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    add(y * w);
    add(y * w + w - 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best || transparent > best[1]) return undefined;
  return best[0];
}

/**
 * Logo type from the features. Documented in the README (Conversion quality):
 * confident gradients over ≥ 8 % of the ink → gradient; ≥ 10 palette colours or dense edges → complex;
 * letter-like shapes → text; else simple.
 */
export function classify(f: Omit<Features, 'logoType'>): LogoType {
  if (f.gradientShare >= 0.08) return 'gradient';
  if (f.palette.length >= 10 || f.edgeDensity > 0.12 || f.smoothShare >= 0.25) return 'complex';
  if (f.textLikeness >= 0.6) return 'text';
  return 'simple';
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** Measures an image at tracing resolution. `original` gives the input's own size. */
export function extractFeatures(
  image: RgbaImage,
  original: { width: number; height: number },
  hasAlpha: boolean,
  opts: { noisy?: boolean } = {},
): Features {
  const n = image.width * image.height;
  // Lossy input (JPEG): looser flatness and merging, no stroke colours (ringing looks like strokes).
  const noisy = opts.noisy ?? false;
  const stats = pixelStats(image, noisy ? 12 : 6);
  // Gradient regions need many gentle steps; flat logos skip the flood fill entirely.
  const smooth =
    stats.gentle >= stats.opaque * 0.003
      ? findGradients(image, stats.opaque)
      : { regions: [], mask: new Uint8Array(0), smoothShare: 0 };
  const flatPalette = buildPalette(image, {
    maxColors: MAX_PALETTE,
    mergeDeltaE: noisy ? 16 : 8,
    minShare: noisy ? 0.004 : 0.0002,
    exclude: smooth.regions.some((r) => r.confident) ? smooth.mask : undefined,
    flat: stats.flat,
  });
  // Upscaled small rasters have soft, ringing edges that look like strokes everywhere: no line colours there.
  const upscaled = image.width > original.width * 1.5;
  const lines =
    upscaled || noisy
      ? { colors: [], counts: [], labels: undefined }
      : lineColours(image, flatPalette, stats.flat, Math.max(40, stats.opaque * 0.002));
  const palette = {
    colors: [...flatPalette.colors, ...lines.colors],
    counts: [...flatPalette.counts, ...lines.counts],
  };
  const total = palette.counts.reduce((a, b) => a + b, 0) || 1;
  let gradientPixels = 0;
  if (smooth.regions.length) for (let p = 0; p < n; p++) gradientPixels += smooth.mask[p];
  const base = {
    version: FEATURES_VERSION,
    width: original.width,
    height: original.height,
    traceWidth: image.width,
    traceHeight: image.height,
    aspect: r4(original.width / original.height),
    hasAlpha,
    transparentShare: r4(stats.transparent / n),
    palette: palette.colors.map((c, k) =>
      k < flatPalette.colors.length
        ? { color: toHex(c), share: r4(palette.counts[k] / total) }
        : { color: toHex(c), share: r4(palette.counts[k] / total), line: true as const },
    ),
    dominant: flatPalette.colors.slice(0, 5).map(toHex),
    edgeDensity: r4(stats.edgeDensity),
    antialiasShare: r4(stats.opaque ? 1 - stats.flatCount / stats.opaque : 0),
    gradients: smooth.regions,
    gradientShare: r4(stats.opaque ? gradientPixels / stats.opaque : 0),
    smoothShare: r4(smooth.smoothShare),
    textLikeness: textLikeness(image, borderColour(image)),
    complexity: r4(Math.min(1, palette.colors.length / 24 + stats.edgeDensity * 4)),
  };
  const features: Features = { ...base, logoType: classify(base) };
  reusable.set(features, {
    flat: stats.flat,
    labels: lines.labels && { colors: flatPalette.colors, labels: lines.labels },
  });
  return features;
}
