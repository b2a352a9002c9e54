/**
 * The layering algorithm: from per-pixel palette labels to one potrace path per colour layer
 * (planLayers orders and merges the layers, traceLayers shapes and traces them). Stages layers and
 * trace call it.
 */
import type { OutputBudget } from '../budget.js';
import { UNDERLAP } from '../constants.js';
import type { Features } from '../features.js';
import type { RgbaImage } from '../image.js';
import type { ConvertOptions } from '../options.js';
import { regionPixels } from './gradients.js';
import type { Palette } from './palette.js';
import {
  INK,
  isPlainRectangle,
  rectanglePath,
  shiftPath,
  traceBitmap,
  type PotraceParams,
  type Rect,
} from '../potrace.js';
import type { Layer } from '../svg.js';
import { forEachBorderPixel } from './border.js';
import { scratch } from '../scratch.js';

/** Most common label on the image border: the background of an opaque logo. */
function borderLabel(labels: Int16Array, w: number, h: number): number {
  const counts = new Map<number, number>();
  const add = (p: number) => counts.set(labels[p], (counts.get(labels[p]) ?? 0) + 1);
  forEachBorderPixel(w, h, add);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

export interface Colour {
  color: number;
  gradient?: Features['gradients'][number];
}

/**
 * One potrace layer per colour, bottom first. A layer's shape is its own pixels, plus the pixels of
 * higher layers within UNDERLAP of them (neighbours overlap, so antialiased seams never show the
 * background), plus higher-layer shapes it fully encloses (holes are filled: a background disc under
 * a glyph stays a disc, which keeps paths short). Work per layer is limited to its bounding box.
 * Synchronous, potrace included: V8 optimises loops in synchronous code, not loops resumed after an await.
 */
export function traceLayers(
  labels: Int16Array,
  order: number[],
  colours: Colour[],
  img: RgbaImage,
  params: PotraceParams,
  budget?: OutputBudget,
): Layer[] {
  const { width: w, height: h } = img;
  const rank = new Int16Array(colours.length).fill(-1);
  order.forEach((label, i) => (rank[label] = i));
  const box = labelBoxes(labels, w, colours.length);
  // Scratch space shared by the layers: the state of each box pixel, which is also potrace's mask.
  const stateBuf = scratch('layers.state', Uint8Array, w * h); // every box pixel is written before it is read
  const layers: Layer[] = [];
  for (let i = 0; i < order.length; i++) {
    const own = order[i];
    if (box.x1[own] < 0) continue;
    const m = UNDERLAP + 1;
    // The bottom layer spans every label's box.
    const ids = i === 0 ? order : [own];
    const rx = Math.max(0, Math.min(...ids.map((l) => box.x0[l])) - m),
      ry = Math.max(0, Math.min(...ids.map((l) => box.y0[l])) - m);
    const rw = Math.min(w, Math.max(...ids.map((l) => box.x1[l])) + m + 1) - rx,
      rh = Math.min(h, Math.max(...ids.map((l) => box.y1[l])) + m + 1) - ry;
    const bitmap = { mask: stateBuf.subarray(0, rw * rh), width: rw, height: rh };
    const ink = layerShape(labels, w, { x: rx, y: ry, width: rw, height: rh }, rank, i, own, bitmap.mask);
    const c = colours[own];
    // A layer that fills its whole box (the bottom layer of an opaque picture) is a rectangle:
    // write what potrace would, without its per-pixel pass.
    const d = ink === rw * rh && isPlainRectangle(rw, rh, params) ? rectanglePath(rw, rh) : traceBitmap(bitmap, params);
    budget?.charge(d);
    layers.push({ color: c.color, gradient: c.gradient, d: shiftPath(d, rx * 10, (h - ry - rh) * 10) });
  }
  return layers;
}

/** Bounding box of each label, in one pass (x1 = -1: the label has no pixel). */
function labelBoxes(
  labels: Int16Array,
  w: number,
  count: number,
): { x0: Int32Array; y0: Int32Array; x1: Int32Array; y1: Int32Array } {
  const n = labels.length,
    h = n / w;
  const x0 = new Int32Array(count).fill(w),
    y0 = new Int32Array(count).fill(h),
    x1 = new Int32Array(count).fill(-1),
    y1 = new Int32Array(count).fill(-1);
  // A row is runs of one label: each run touches its label's box once.
  for (let y = 0, row = 0; y < h; y++, row += w) {
    for (let x = 0; x < w;) {
      const l = labels[row + x];
      let e = x + 1;
      while (e < w && labels[row + e] === l) e++;
      if (l >= 0) {
        if (x < x0[l]) x0[l] = x;
        if (e - 1 > x1[l]) x1[l] = e - 1;
        if (y < y0[l]) y0[l] = y;
        y1[l] = y;
      }
      x = e;
    }
  }
  return { x0, y0, x1, y1 };
}

/**
 * The shape of layer `i` (label `own`) inside `box`, as `state`; returns its ink pixel count.
 * state: 1 = in the layer, 2 = a higher layer's pixel, 0 = transparent or lower; coverHigher then
 * adds the higher pixels the layer runs under. The final state is potrace's mask: 1 (INK) is ink.
 */
function layerShape(
  labels: Int16Array,
  w: number,
  box: Rect,
  rank: Int16Array,
  i: number,
  own: number,
  state: Uint8Array,
): number {
  const { x: rx, y: ry, width: rw, height: rh } = box;
  let higher = 0,
    ink = 0;
  // Rows are runs of one label: each run is classified once and written in one go.
  for (let y = 0, q = 0; y < rh; y++, q += rw) {
    const row = (y + ry) * w + rx;
    for (let x = 0; x < rw;) {
      const l = labels[row + x];
      let e = x + 1;
      while (e < rw && labels[row + e] === l) e++;
      // The bottom layer runs under everything opaque: no seam or corner can ever show through.
      let s = 0;
      if (l === own || (i === 0 && l >= 0)) {
        s = INK;
        ink += e - x;
      } else if (l >= 0 && rank[l] > i) {
        s = 2;
        higher += e - x;
      }
      if (e - x < 16) for (let k = q + x; k < q + e; k++) state[k] = s;
      else state.fill(s, q + x, q + e);
      x = e;
    }
  }
  if (higher) {
    const highs = scratch('layers.highs', Int32Array, higher);
    for (let q = 0, k = 0; k < higher; q++) if (state[q] === 2) highs[k++] = q;
    coverHigher(state, rw, rh, highs);
    for (let k = 0; k < higher; k++) if (state[highs[k]] === INK) ink++;
  }
  return ink;
}

/**
 * Turns a layer's state (1 = layer, 2 = higher layer, 0 = other) into its shape (state 1): higher
 * pixels within UNDERLAP of the layer (4-neighbour dilation), and higher shapes the layer encloses —
 * a 4-connected group of higher pixels that touches neither the box border nor an "other" pixel.
 * `highs` lists the higher pixels, so the work is proportional to them, not to the box.
 */
function coverHigher(state: Uint8Array, rw: number, rh: number, highs: Int32Array): void {
  const size = rw * rh,
    count = highs.length;
  const queue = scratch('layers.cover', Int32Array, count);
  for (let round = 0; round < UNDERLAP; round++) {
    let t = 0;
    for (let k = 0; k < count; k++) {
      const q = highs[k];
      if (state[q] !== 2) continue;
      const x = q % rw;
      if (
        (x > 0 && state[q - 1] === 1) ||
        (x < rw - 1 && state[q + 1] === 1) ||
        (q >= rw && state[q - rw] === 1) ||
        (q + rw < size && state[q + rw] === 1)
      )
        queue[t++] = q;
    }
    for (let k = 0; k < t; k++) state[queue[k]] = 1;
  }
  // Groups of the remaining higher pixels: 3 while being collected, then 1 (enclosed) or 4 (open).
  for (let k = 0; k < count; k++) {
    const s = highs[k];
    if (state[s] !== 2) continue;
    let head = 0,
      tail = 0,
      open = false;
    state[s] = 3;
    queue[tail++] = s;
    while (head < tail) {
      const q = queue[head++];
      const x = q % rw;
      if (x === 0 || x === rw - 1 || q < rw || q + rw >= size) open = true;
      if (x > 0) {
        const v = state[q - 1];
        if (v === 2) {
          state[q - 1] = 3;
          queue[tail++] = q - 1;
        } else if (v === 0) open = true;
      }
      if (x < rw - 1) {
        const v = state[q + 1];
        if (v === 2) {
          state[q + 1] = 3;
          queue[tail++] = q + 1;
        } else if (v === 0) open = true;
      }
      if (q >= rw) {
        const v = state[q - rw];
        if (v === 2) {
          state[q - rw] = 3;
          queue[tail++] = q - rw;
        } else if (v === 0) open = true;
      }
      if (q + rw < size) {
        const v = state[q + rw];
        if (v === 2) {
          state[q + rw] = 3;
          queue[tail++] = q + rw;
        } else if (v === 0) open = true;
      }
    }
    const v = open ? 4 : 1;
    for (let j = 0; j < tail; j++) state[queue[j]] = v;
  }
}

/**
 * The antialiased rim of a gradient region is not smooth, so it got a flat label; a flat rim would
 * outline the gradient in one colour. Rim pixels closer to a neighbouring gradient pixel's colour
 * than to their flat colour join the gradient (two rounds: rims are about two pixels wide).
 */
function growGradients(img: RgbaImage, labels: Int16Array, palette: Palette): void {
  const { width: w, height: h, data: d } = img;
  const flat = palette.colors.length;
  const err = (p: number, c: number) =>
    Math.abs(d[p * 4] - ((c >> 16) & 255)) +
    Math.abs(d[p * 4 + 1] - ((c >> 8) & 255)) +
    Math.abs(d[p * 4 + 2] - (c & 255));
  const errPix = (p: number, q: number) =>
    Math.abs(d[p * 4] - d[q * 4]) + Math.abs(d[p * 4 + 1] - d[q * 4 + 1]) + Math.abs(d[p * 4 + 2] - d[q * 4 + 2]);
  for (let round = 0; round < 2; round++) {
    const changes: Array<[number, number]> = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = y * w + x;
        const l = labels[p];
        if (l < 0 || l >= flat) continue;
        const own = err(p, palette.colors[l]);
        for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
          if (q >= 0 && labels[q] >= flat && errPix(p, q) < own) {
            changes.push([p, labels[q]]);
            break;
          }
        }
      }
    }
    for (const [p, l] of changes) labels[p] = l;
  }
}

export interface LayerPlan {
  labels: Int16Array;
  colours: Colour[];
  order: number[];
  mono: boolean;
}

/**
 * Gives confident gradient regions labels of their own (colour mode), merges labels into one or two
 * layers (mono mode), and orders the layers bottom first. `labels` (from labelPixels) is updated in
 * place. Synchronous: see traceLayers.
 */
export function planLayers(
  image: RgbaImage,
  labels: Int16Array,
  palette: Palette,
  features: Features,
  options: ConvertOptions,
): LayerPlan {
  const colours: Colour[] = palette.colors.map((color) => ({ color }));
  const mono =
    options.mode === 'mono' || (options.mode === 'auto' && palette.colors.length <= 1 && features.gradientShare === 0);
  let order: number[];
  if (palette.colors.length === 0) order = [];
  else if (!mono) {
    // Confident gradient regions get labels of their own, after the flat colours.
    // An exact palette has no gradient fills: every fill is one of its colours.
    if (options.mode !== 'mono' && options.palette === undefined) {
      for (const g of features.gradients) {
        if (!g.confident) continue;
        const pix = regionPixels(image, g);
        if (pix.length === 0) continue;
        const label = colours.length;
        const mid = g.stops[g.stops.length >> 1].color;
        colours.push({ color: parseInt(mid.slice(1), 16), gradient: g });
        for (let k = 0; k < pix.length; k++) labels[pix[k]] = label;
      }
      if (colours.length > palette.colors.length) growGradients(image, labels, palette);
    }
    // Bottom to top by area: big shapes underneath, small ones (and their edges) on top.
    const area = new Float64Array(colours.length);
    // Run by run: most pixels continue their neighbour's label.
    for (let p = 0, n = labels.length; p < n;) {
      const l = labels[p];
      let e = p + 1;
      while (e < n && labels[e] === l) e++;
      if (l >= 0) area[l] += e - p;
      p = e;
    }
    order = colours
      .map((_, i) => i)
      .filter((i) => area[i] > 0)
      .sort((a, b) => area[b] - area[a]);
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
  return { labels, colours, order, mono };
}
