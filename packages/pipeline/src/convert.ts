import { decodeImage, type DecodedImage } from './decode.js';
import { extractFeatures, FEATURES_VERSION, type Features, type LogoType } from './features.js';
import { regionPixels } from './gradient.js';
import type { RgbaImage } from './image.js';
import type { ConvertOptions, Limits } from './options.js';
import { assignLabels, capPalette, type Palette } from './palette.js';
import { traceMask, type PotraceParams } from './potrace.js';
import { scoreSvg, type Quality } from './score.js';
import { assertSafeSvg, buildSvg, optimizeSvg, type Layer } from './svg.js';
import { PIPELINE_VERSION } from './version.js';
import { paramSets, QUALITY_FLOOR, type ParamSet } from './params.js';

export type { LogoType };

export interface ResultMeta {
  pipelineVersion: string;
  featuresVersion: string;
  width: number;
  height: number;
  bytes: number;
  paths: number;
  colors: string[];
  /** Gradient fills in the output. */
  gradients: number;
  logoType: LogoType;
  mode: 'mono' | 'color';
  params: ParamSet;
  /** 1 when the first parameter set scored under the quality floor and a second one was tried. */
  retried: boolean;
  quality: Quality;
  timings: Record<string, number>;
}

export interface ConversionResult {
  svg: string;
  meta: ResultMeta;
  features: Features;
}

class Stopwatch {
  readonly timings: Record<string, number> = {};
  private t = performance.now();
  private readonly start = this.t;
  lap(stage: string): void {
    const now = performance.now();
    this.timings[stage] = Math.round((now - this.t) * 100) / 100;
    this.t = now;
  }
  total(): void {
    this.timings.total = Math.round((performance.now() - this.start) * 100) / 100;
  }
}

/** Most common label on the image border: the background of an opaque logo. */
function borderLabel(labels: Int16Array, w: number, h: number): number {
  const counts = new Map<number, number>();
  const add = (p: number) => counts.set(labels[p], (counts.get(labels[p]) ?? 0) + 1);
  for (let x = 0; x < w; x++) { add(x); add((h - 1) * w + x); }
  for (let y = 0; y < h; y++) { add(y * w); add(y * w + w - 1); }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

interface Colour { color: number; gradient?: Features['gradients'][number] }

async function traceLayers(labels: Int16Array, order: number[], colours: Colour[], img: RgbaImage, params: PotraceParams): Promise<Layer[]> {
  const n = img.width * img.height;
  // rank[label] = position in the stack; a layer's mask includes every label stacked above it, so
  // lower layers run under their neighbours and no hairline gap can show between colours.
  const rank = new Int16Array(colours.length).fill(-1);
  order.forEach((label, i) => (rank[label] = i));
  const layers: Layer[] = [];
  const mask = new Uint8Array(n);
  const w = img.width;
  for (let i = 0; i < order.length; i++) {
    let x0 = w, y0 = img.height, x1 = -1, y1 = -1;
    for (let p = 0, y = 0, x = 0; p < n; p++) {
      const l = labels[p];
      if (l >= 0 && rank[l] >= i) {
        mask[p] = 1;
        if (x < x0) x0 = x; if (x > x1) x1 = x;
        if (y < y0) y0 = y; y1 = y;
      } else mask[p] = 0;
      if (++x === w) { x = 0; y++; }
    }
    if (x1 < 0) continue;
    // One pixel of margin so potrace sees the same empty surroundings as in the full frame.
    const rx = Math.max(0, x0 - 1), ry = Math.max(0, y0 - 1);
    const rect = { x: rx, y: ry, width: Math.min(w, x1 + 2) - rx, height: Math.min(img.height, y1 + 2) - ry };
    const c = colours[order[i]];
    layers.push({ color: c.color, gradient: c.gradient, d: await traceMask(mask, w, img.height, params, rect) });
  }
  return layers;
}

interface Attempt { svg: string; layers: Layer[]; quality: Quality; mono: boolean; params: ParamSet }

/** One tracing pass with one parameter set: labels → layers → optimised, checked SVG. */
async function attempt(decoded: DecodedImage, features: Features, options: ConvertOptions, params: ParamSet): Promise<Omit<Attempt, 'quality'>> {
  const { image } = decoded;
  const full: Palette = {
    colors: features.palette.map((p) => parseInt(p.color.slice(1), 16)),
    counts: features.palette.map((p) => p.share),
  };
  const palette = capPalette(full, params.maxColors);
  const labels = assignLabels(image, palette);
  const colours: Colour[] = palette.colors.map((color) => ({ color }));
  const mono = options.mode === 'mono' || (options.mode === 'auto' && palette.colors.length <= 1 && features.gradientShare === 0);
  let order: number[];
  if (palette.colors.length === 0) order = [];
  else if (!mono) {
    // Confident gradient regions get labels of their own, after the flat colours.
    if (options.mode !== 'mono') {
      for (const g of features.gradients) {
        if (!g.confident) continue;
        const pix = regionPixels(image, g);
        if (pix.length === 0) continue;
        const label = colours.length;
        const mid = g.stops[g.stops.length >> 1].color;
        colours.push({ color: parseInt(mid.slice(1), 16), gradient: g });
        for (let k = 0; k < pix.length; k++) labels[pix[k]] = label;
      }
    }
    // Bottom to top by area: big shapes underneath, small ones (and their edges) on top.
    const area = new Float64Array(colours.length);
    for (let p = 0; p < labels.length; p++) if (labels[p] >= 0) area[labels[p]]++;
    order = colours.map((_, i) => i).filter((i) => area[i] > 0).sort((a, b) => area[b] - area[a]);
  } else if (features.transparentShare > 0.01) {
    // Ink on transparency: one layer of everything opaque in the dominant colour.
    for (let p = 0; p < labels.length; p++) if (labels[p] > 0) labels[p] = 0;
    order = [0];
  } else {
    // Opaque: background plus the most common other colour over everything that is not background.
    const bg = borderLabel(labels, image.width, image.height);
    const fg = palette.colors.findIndex((_, i) => i !== bg);
    for (let p = 0; p < labels.length; p++) if (labels[p] !== bg && fg >= 0) labels[p] = fg;
    order = fg >= 0 ? [bg, fg] : [bg];
  }
  const layers = await traceLayers(labels, order, colours, image, params);
  const frame = { width: decoded.original.width, height: decoded.original.height, scale: decoded.scale };
  const svg = optimizeSvg(buildSvg(layers, frame));
  assertSafeSvg(svg);
  return { svg, layers, mono, params };
}

/**
 * The whole conversion of one image, in the calling thread. `features` from a cache skip the
 * extraction (they must come from the same image and FEATURES_VERSION).
 */
export async function convertImage(bytes: Uint8Array, options: ConvertOptions, limits: Limits, features?: Features): Promise<ConversionResult> {
  const sw = new Stopwatch();
  const decoded = await decodeImage(bytes, limits);
  sw.lap('decode');

  const reuse = features && features.version === FEATURES_VERSION && features.traceWidth === decoded.image.width && features.traceHeight === decoded.image.height;
  const f = reuse ? features : extractFeatures(decoded.image, decoded.original, decoded.hasAlpha);
  sw.lap('features');
  const sets = paramSets(f, options);
  sw.lap('classify');

  let best: Attempt | undefined;
  let retried = false;
  for (let i = 0; i < sets.length; i++) {
    const a = await attempt(decoded, f, options, sets[i]);
    sw.lap(i === 0 ? 'trace' : 'retryTrace');
    const quality = scoreSvg(a.svg, decoded.original);
    sw.lap(i === 0 ? 'score' : 'retryScore');
    if (!best || quality.ssim > best.quality.ssim + 0.001 || (quality.ssim >= best.quality.ssim - 0.001 && a.svg.length < best.svg.length)) best = { ...a, quality };
    if (quality.ssim >= QUALITY_FLOOR) break;
    retried = i + 1 < sets.length;
  }
  const r = best!;
  sw.total();
  return {
    svg: r.svg,
    features: f,
    meta: {
      pipelineVersion: PIPELINE_VERSION,
      featuresVersion: f.version,
      width: decoded.original.width,
      height: decoded.original.height,
      bytes: Buffer.byteLength(r.svg),
      paths: r.layers.length,
      colors: r.layers.map((l) => '#' + l.color.toString(16).padStart(6, '0')),
      gradients: r.layers.filter((l) => l.gradient).length,
      logoType: f.logoType,
      mode: r.mono ? 'mono' : 'color',
      params: r.params,
      retried,
      quality: r.quality,
      timings: sw.timings,
    },
  };
}
