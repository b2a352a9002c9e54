import { toHex } from './color.js';
import { borderColour } from './algorithms/border-colour.js';
import { classify } from './algorithms/classify.js';
import { findGradients, type GradientRegion } from './algorithms/gradients.js';
import { buildPalette, lineColours, type Palette } from './algorithms/palette.js';
import { pixelStats } from './algorithms/pixel-stats.js';
import { textLikeness } from './algorithms/text-likeness.js';
import { flatTolerance, MAX_PALETTE } from './constants.js';
import type { RgbaImage } from './image.js';

/**
 * Bumped whenever extraction changes what it returns for the same pixels. Features are cached by
 * image hash + this version (packages/converter), independently of conversion options.
 */
export const FEATURES_VERSION = '5';

import type { LogoType } from '@tracefleet/contract';
export type { LogoType };

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

/** Features.palette as numbers (packed 0xRRGGBB, shares as counts): what the palette stage starts from. */
export interface FeaturePalette extends Palette {
  /** Colours found as thin strokes (Features.palette entries with `line`). */
  lineColors: ReadonlySet<number>;
}

/**
 * Everything extraction measures: the features (plain JSON, cacheable) and what the conversion in
 * the same thread reuses (features from a cache go without): the numeric palette, the flat mask,
 * and each pixel's nearest flat colour.
 */
export interface Measurement {
  features: Features;
  palette: FeaturePalette;
  flat: Uint8Array;
  /** Labels from assignLabels(image, { colors }) for the flat colours, when the line pass computed them. */
  flatLabels?: { colors: number[]; labels: Int16Array };
}

/** The numeric palette of features that came without a measurement (from a cache). */
export function featurePalette(f: Features): FeaturePalette {
  const colors = f.palette.map((p) => parseInt(p.color.slice(1), 16));
  return {
    colors,
    counts: f.palette.map((p) => p.share),
    lineColors: new Set(colors.filter((_, k) => f.palette[k].line)),
  };
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** Measures an image at tracing resolution. `original` gives the input's own size. */
export function extractFeatures(
  image: RgbaImage,
  original: { width: number; height: number },
  hasAlpha: boolean,
  opts: { noisy?: boolean } = {},
): Features {
  return measureImage(image, original, hasAlpha, opts).features;
}

/** extractFeatures, keeping what the conversion reuses. */
export function measureImage(
  image: RgbaImage,
  original: { width: number; height: number },
  hasAlpha: boolean,
  opts: { noisy?: boolean } = {},
): Measurement {
  const n = image.width * image.height;
  // Lossy input (JPEG): looser flatness and merging, no stroke colours (ringing looks like strokes).
  const noisy = opts.noisy ?? false;
  const stats = pixelStats(image, flatTolerance(noisy));
  // Gradient regions need many gentle steps; flat logos skip the flood fill entirely.
  const smooth =
    stats.gentle >= stats.opaque * 0.003
      ? findGradients(image, stats.opaque)
      : { regions: [], mask: new Uint8Array(0), smoothShare: 0 };
  const flatPalette = buildPalette(image, {
    maxColors: MAX_PALETTE,
    mergeDeltaE: noisy ? 16 : 8,
    minor: noisy ? { deltaE: 25, ratio: 0.1 } : undefined,
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
  const shares = palette.counts.map((c) => r4(c / total));
  // Read through a typed copy below: `shares` holds integers on some logos (a single colour's 1) and
  // fractions on others, and the optimised code, specialised to one of those array kinds, deoptimised
  // on every logo of the other (measured with --trace-deopt: every second logo in a worker).
  const shareOf = Float64Array.from(shares);
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
        ? { color: toHex(c), share: shareOf[k] }
        : { color: toHex(c), share: shareOf[k], line: true as const },
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
  return {
    features,
    palette: {
      colors: palette.colors,
      counts: shares,
      lineColors: new Set(lines.colors),
    },
    flat: stats.flat,
    flatLabels: lines.labels && { colors: flatPalette.colors, labels: lines.labels },
  };
}
