import { decodeImage } from './decode.js';
import type { RgbaImage } from './image.js';
import type { ConvertOptions, Limits } from './options.js';
import { assignLabels, buildPalette, type Palette } from './palette.js';
import { DEFAULT_POTRACE, traceMask, type PotraceParams } from './potrace.js';
import { scoreSvg, type Quality } from './score.js';
import { assertSafeSvg, buildSvg, optimizeSvg, type Layer } from './svg.js';
import { PIPELINE_VERSION } from './version.js';

export type LogoType = 'simple' | 'text' | 'gradient' | 'complex';

export interface ResultMeta {
  pipelineVersion: string;
  width: number;
  height: number;
  bytes: number;
  paths: number;
  colors: string[];
  logoType: LogoType;
  mode: 'mono' | 'color';
  params: PotraceParams & { maxColors: number };
  quality: Quality;
  timings: Record<string, number>;
}

export interface ConversionResult {
  svg: string;
  meta: ResultMeta;
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

function classify(palette: Palette): LogoType {
  if (palette.colors.length <= 2) return 'simple';
  return palette.colors.length > 10 ? 'complex' : 'simple';
}

/** Most common label on the image border: the background of an opaque logo. */
function borderLabel(labels: Int16Array, w: number, h: number): number {
  const counts = new Map<number, number>();
  const add = (p: number) => counts.set(labels[p], (counts.get(labels[p]) ?? 0) + 1);
  for (let x = 0; x < w; x++) { add(x); add((h - 1) * w + x); }
  for (let y = 0; y < h; y++) { add(y * w); add(y * w + w - 1); }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

function transparentShare(img: RgbaImage): number {
  let t = 0;
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] < 128) t++;
  return t / (img.width * img.height);
}

async function traceLayers(labels: Int16Array, order: number[], palette: Palette, img: RgbaImage, params: PotraceParams): Promise<Layer[]> {
  const n = img.width * img.height;
  // rank[label] = position in the stack; a layer's mask includes every label stacked above it, so
  // lower layers run under their neighbours and no hairline gap can show between colours.
  const rank = new Int16Array(palette.colors.length).fill(-1);
  order.forEach((label, i) => (rank[label] = i));
  const layers: Layer[] = [];
  for (let i = 0; i < order.length; i++) {
    const mask = new Uint8Array(n);
    let any = false;
    for (let p = 0; p < n; p++) {
      const l = labels[p];
      if (l >= 0 && rank[l] >= i) { mask[p] = 1; any = true; }
    }
    if (!any) continue;
    layers.push({ color: palette.colors[order[i]], d: await traceMask(mask, img.width, img.height, params) });
  }
  return layers;
}

/** The whole conversion of one image, in the calling thread. */
export async function convertImage(bytes: Uint8Array, options: ConvertOptions, limits: Limits): Promise<ConversionResult> {
  const sw = new Stopwatch();
  const decoded = await decodeImage(bytes, limits);
  const { image } = decoded;
  sw.lap('decode');

  const maxColors = options.mode === 'mono' ? 2 : (options.colors ?? 16);
  const palette = buildPalette(image, { maxColors, mergeDeltaE: 8 });
  const labels = assignLabels(image, palette);
  sw.lap('features');
  const logoType = classify(palette);
  sw.lap('classify');

  const params = { ...DEFAULT_POTRACE };
  const mono = options.mode === 'mono' || (options.mode === 'auto' && palette.colors.length <= 1);
  let order: number[];
  if (palette.colors.length === 0) order = [];
  else if (!mono) order = palette.colors.map((_, i) => i);
  else if (transparentShare(image) > 0.01) {
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
  const layers = await traceLayers(labels, order, palette, image, params);
  sw.lap('trace');

  const frame = { width: decoded.original.width, height: decoded.original.height, scale: decoded.scale };
  const svg = optimizeSvg(buildSvg(layers, frame));
  assertSafeSvg(svg);
  sw.lap('optimise');

  const quality = scoreSvg(svg, decoded.original);
  sw.lap('score');
  sw.total();
  return {
    svg,
    meta: {
      pipelineVersion: PIPELINE_VERSION,
      width: frame.width,
      height: frame.height,
      bytes: Buffer.byteLength(svg),
      paths: layers.length,
      colors: layers.map((l) => '#' + l.color.toString(16).padStart(6, '0')),
      logoType,
      mode: mono ? 'mono' : 'color',
      params: { ...params, maxColors },
      quality,
      timings: sw.timings,
    },
  };
}
