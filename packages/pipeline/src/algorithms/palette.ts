import { TracefleetError } from '@tracefleet/errors';
import { deltaE2, LINEAR, packedToLab, type Lab } from '../color.js';
import { ALPHA_THRESHOLD, flatTolerance } from '../constants.js';
import type { RgbaImage } from '../image.js';
import { bufferView, float64In, int16In, int16Out, int32In, SLOT, wasm } from '../wasm.js';

export interface PaletteOptions {
  maxColors: number;
  /** Pixels set to 1 here do not vote (gradient regions, which get fills of their own). */
  exclude?: Uint8Array;
  /** Colours with fewer flat pixels than this share of the opaque ones are specks (default 0.0002). */
  minShare?: number;
  /** Precomputed flatMask(img, flatTolerance(false)). */
  flat?: Uint8Array;
  /** Colours closer than this (CIE76 ΔE) are one colour. */
  mergeDeltaE: number;
  /**
   * Lossy input: a cluster within `deltaE` of one at least 1/`ratio` times its size is that
   * colour's compression artefact (JPEG chroma error and ringing at its edges), not a colour.
   */
  minor?: { deltaE: number; ratio: number };
}

export interface Palette {
  /** Packed 0xRRGGBB, most frequent first. */
  colors: number[];
  counts: number[];
}

/**
 * A pixel is "flat" when its four neighbours are opaque and have nearly its colour (within `tol`
 * per channel). Antialiased edges and JPEG ringing are not flat, so they vote for no colour of
 * their own and get the nearest real one. One pass over pixel pairs, then one over pixels.
 */
export function flatMask(img: RgbaImage, tol: number): Uint8Array {
  const { width: w, height: h, data: d } = img;
  const n = w * h;
  const right = new Uint8Array(n); // pair (p, p+1) close and p+1 opaque / p opaque
  const down = new Uint8Array(n);
  const close = (i: number, j: number) =>
    Math.abs(d[i] - d[j]) <= tol && Math.abs(d[i + 1] - d[j + 1]) <= tol && Math.abs(d[i + 2] - d[j + 2]) <= tol;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x,
        i = p * 4;
      if (x < w - 1 && close(i, i + 4)) right[p] = 1;
      if (y < h - 1 && close(i, i + w * 4)) down[p] = 1;
    }
  }
  const flat = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (d[p * 4 + 3] < ALPHA_THRESHOLD) continue;
      if (x > 0 && !(right[p - 1] && d[(p - 1) * 4 + 3] >= ALPHA_THRESHOLD)) continue;
      if (x < w - 1 && !(right[p] && d[(p + 1) * 4 + 3] >= ALPHA_THRESHOLD)) continue;
      if (y > 0 && !(down[p - w] && d[(p - w) * 4 + 3] >= ALPHA_THRESHOLD)) continue;
      if (y < h - 1 && !(down[p] && d[(p + w) * 4 + 3] >= ALPHA_THRESHOLD)) continue;
      flat[p] = 1;
    }
  }
  return flat;
}

/**
 * Pixel count per exact colour (0xRRGGBB) of the opaque pixels that are flat and not excluded, in
 * order of first appearance, and the number of opaque pixels. Counted in C (wasm/colour-counts.c):
 * in JavaScript this pass cost ≈ 4–7 ns per pixel.
 */
function flatColourCounts(
  img: RgbaImage,
  flat: Uint8Array,
  exclude: Uint8Array | undefined,
): { exact: Map<number, number>; opaque: number } {
  const { width: w, height: h, data } = img;
  const n = w * h;
  bufferView(SLOT.image, n * 4).set(data.subarray(0, n * 4));
  bufferView(SLOT.flat, n).set(flat.subarray(0, n));
  if (exclude) bufferView(SLOT.mask, n).set(exclude.subarray(0, n));
  const ex = wasm();
  const entries = ex.tf_colour_counts(w, h, ALPHA_THRESHOLD, exclude ? 1 : 0);
  if (entries < 0) throw new TracefleetError('PIPELINE_FAILED', `no memory to count the colours of a ${w}×${h} image`);
  const at = ex.tf_buffer(SLOT.counts, n * 8);
  const pairs = new Int32Array(ex.memory.buffer, at, 2 * entries);
  const exact = new Map<number, number>();
  for (let k = 0; k < entries; k++) exact.set(pairs[2 * k], pairs[2 * k + 1]);
  return { exact, opaque: ex.tf_opaque_count() };
}

/**
 * Palette from the flat pixels: exact colours sorted by frequency seed clusters, so a brand colour
 * is kept exactly (its representative is its most frequent exact value, not a mean).
 */
export function buildPalette(img: RgbaImage, opts: PaletteOptions): Palette {
  const d = img.data;
  const flat = opts.flat ?? flatMask(img, flatTolerance(false));
  const { exact, opaque } = flatColourCounts(img, flat, opts.exclude);
  if (opaque === 0) return { colors: [], counts: [] };
  if (exact.size === 0) {
    // Nothing is flat (noise, tiny image): fall back to every opaque pixel.
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < ALPHA_THRESHOLD) continue;
      const c = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      exact.set(c, (exact.get(c) ?? 0) + 1);
    }
  }
  const seeds = [...exact.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4096);
  const t2 = opts.mergeDeltaE * opts.mergeDeltaE;
  const reps: number[] = [];
  const labs: Lab[] = [];
  const counts: number[] = [];
  for (const [c, n] of seeds) {
    const lab = packedToLab(c);
    const best = nearestLab(lab, labs, t2);
    if (best >= 0) counts[best] += n;
    else {
      reps.push(c);
      labs.push(lab);
      counts.push(n);
    }
  }
  if (opts.minor) absorbMinor(reps, labs, counts, opts.minor);
  // Drop specks of colour: too few pixels to be part of the design.
  const minCount = Math.max(12, opaque * (opts.minShare ?? 0.0002));
  let keep = reps.map((_, k) => k).filter((k) => counts[k] >= minCount);
  if (keep.length === 0) keep = [0];
  keep.sort((a, b) => counts[b] - counts[a]);
  // Over the cap: fold the rarest colour into its nearest neighbour until it fits.
  return capPalette({ colors: keep.map((k) => reps[k]), counts: keep.map((k) => counts[k]) }, opts.maxColors);
}

/**
 * Folds each cluster into the nearest one within `deltaE` that is at least 1/`ratio` times its size
 * (smallest clusters first; a folded cluster's count is zeroed, so the speck rule drops it).
 */
function absorbMinor(reps: number[], labs: Lab[], counts: number[], minor: { deltaE: number; ratio: number }): void {
  const t2 = minor.deltaE * minor.deltaE;
  const bySize = reps.map((_, k) => k).sort((a, b) => counts[a] - counts[b]);
  for (const k of bySize) {
    let best = -1,
      bestD = t2;
    for (let j = 0; j < reps.length; j++) {
      if (j === k || counts[k] >= minor.ratio * counts[j]) continue;
      const dd = deltaE2(labs[k], labs[j]);
      if (dd < bestD) {
        bestD = dd;
        best = j;
      }
    }
    if (best >= 0) {
      counts[best] += counts[k];
      counts[k] = 0;
    }
  }
}

/** Folds the rarest colours into their nearest neighbours until at most `maxColors` remain. */
export function capPalette(palette: Palette, maxColors: number): Palette {
  if (palette.colors.length <= maxColors) return palette;
  const labs = palette.colors.map(packedToLab);
  const counts = [...palette.counts];
  const keep = palette.colors.map((_, k) => k);
  while (keep.length > maxColors) {
    keep.sort((a, b) => counts[b] - counts[a]);
    const victim = keep.pop()!;
    let best = keep[0];
    for (const k of keep) if (deltaE2(labs[victim], labs[k]) < deltaE2(labs[victim], labs[best])) best = k;
    counts[best] += counts[victim];
  }
  keep.sort((a, b) => counts[b] - counts[a]);
  return { colors: keep.map((k) => palette.colors[k]), counts: keep.map((k) => counts[k]) };
}

/** Index of the colour in `labs` nearest to `lab` (the first of equals), -1 when none is closer than √limit2. */
function nearestLab(lab: Lab, labs: Lab[], limit2 = Infinity): number {
  let best = -1,
    bestD = limit2;
  for (let k = 0; k < labs.length; k++) {
    const dd = deltaE2(lab, labs[k]);
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return best;
}

/**
 * Label per pixel: palette index of the nearest colour, or -1 for transparent. In C
 * (wasm/labels.c: the JavaScript scan of a logo's runs alone cost ≈ 2 ns per pixel), from the
 * TypeScript's Lab values (the palette's, and color.ts's sRGB → linear table).
 */
export function assignLabels(img: RgbaImage, palette: Palette): Int16Array {
  const n = img.width * img.height;
  const labels = new Int16Array(n);
  if (palette.colors.length === 0) return labels.fill(-1);
  bufferView(SLOT.labelImage, n * 4).set(img.data.subarray(0, n * 4));
  float64In(SLOT.labelLinear, LINEAR);
  float64In(SLOT.labelLabs, palette.colors.flatMap(packedToLab));
  if (wasm().tf_assign_labels(n, palette.colors.length, ALPHA_THRESHOLD) < 0)
    throw new TracefleetError('PIPELINE_FAILED', `no memory to label ${n} pixels`);
  int16Out(SLOT.labelMap, labels, n);
  return labels;
}

/**
 * Antialiased edge pixels are mixes of the colours on either side; their nearest palette colour
 * can be a third colour (yellow + blue ≈ green), which would draw a false outline. A pixel that is
 * not flat and lies on the line between two colours found flat within two pixels takes the nearer
 * of those two. Pixels that no such mix explains (thin strokes of their own colour) keep their label.
 */
export function refineEdgeLabels(
  img: RgbaImage,
  labels: Int16Array,
  palette: Palette,
  flat: Uint8Array,
  lines: ReadonlySet<number> = new Set(),
): void {
  const { width: w, height: h, data: d } = img;
  const n = w * h,
    k = palette.colors.length;
  // In C (wasm/labels.c): R, G, B per colour, then whether it is a line colour.
  const rgb = new Int32Array(4 * k);
  palette.colors.forEach((c, i) => rgb.set([(c >> 16) & 255, (c >> 8) & 255, c & 255], 3 * i));
  for (const l of lines) if (l >= 0 && l < k) rgb[3 * k + l] = 1;
  bufferView(SLOT.labelImage, n * 4).set(d.subarray(0, n * 4));
  int16In(SLOT.labelMap, labels.subarray(0, n));
  bufferView(SLOT.labelFlat, n).set(flat.subarray(0, n));
  int32In(SLOT.labelRgb, rgb);
  if (wasm().tf_refine_edge_labels(w, h, k) < 0)
    throw new TracefleetError('PIPELINE_FAILED', `no memory to refine the labels of ${n} pixels`);
  int16Out(SLOT.labelOut, labels, n);
}

/**
 * Thin strokes (hairline outlines, small text) have no flat pixel, so the flat palette misses their
 * colour. A non-flat pixel that no mix of the flat colours around it explains belongs to such a
 * stroke; their colours, clustered, join the palette as "line" colours (at most four).
 */
export function lineColours(
  img: RgbaImage,
  palette: Palette,
  flat: Uint8Array,
  minCount: number,
): Palette & { labels?: Int16Array } {
  const { width: w, height: h } = img;
  const n = w * h;
  if (palette.colors.length === 0) return { colors: [], counts: [] };
  const labels = assignLabels(img, palette);
  // Stroke candidates, found once (wasm/line-colours.c): opaque non-flat pixels next to flat colours
  // (not inside a wide non-flat area such as noise or a gradient) that no mix of those flat colours
  // explains. Later rounds only test these against the strokes found so far.
  const ex = wasm();
  bufferView(SLOT.image, n * 4).set(img.data.subarray(0, n * 4));
  bufferView(SLOT.flat, n).set(flat.subarray(0, n));
  const lb = bufferView(SLOT.labels, n * 2);
  new Int16Array(lb.buffer, lb.byteOffset, n).set(labels.subarray(0, n));
  const rgbIn = (colours: number[]) => {
    const v = bufferView(SLOT.lineRgb, colours.length * 12);
    const words = new Int32Array(v.buffer, v.byteOffset, colours.length * 3);
    colours.forEach((c, k) => words.set([(c >> 16) & 255, (c >> 8) & 255, c & 255], 3 * k));
  };
  rgbIn(palette.colors);
  const candidates = ex.tf_line_candidates(w, h, palette.colors.length);
  if (candidates < 0) throw new TracefleetError('PIPELINE_FAILED', `no memory to find line colours in ${n} pixels`);
  const found: Palette = { colors: [], counts: [] };
  // One stroke colour per round: its own antialiased rim (stroke × neighbour mixes) must not come
  // back as further colours, so later rounds also accept mixes with the strokes found so far.
  for (let round = 0; round < 4 && candidates; round++) {
    if (round) rgbIn([...palette.colors, ...found.colors]); // the palette is in already; add the strokes
    const m = ex.tf_line_unexplained(palette.colors.length, found.colors.length);
    if (m < 0) throw new TracefleetError('PIPELINE_FAILED', `no memory to find line colours in ${n} pixels`);
    const out = bufferView(SLOT.lineOut, m * 4);
    const colours = new Int32Array(out.buffer, out.byteOffset, m);
    const exact = new Map<number, number>();
    for (let k = 0; k < m; k++) exact.set(colours[k], (exact.get(colours[k]) ?? 0) + 1);
    const top = clusterLines(exact, [...palette.colors, ...found.colors]);
    if (!top || top[1] < minCount) break;
    found.colors.push(top[0]);
    found.counts.push(top[1]);
  }
  // The labels (nearest flat colour per pixel) go back too: conversion reuses them.
  return { ...found, labels };
}

/** The biggest loose cluster of stroke colours: [its most frequent exact colour, pixel count]. */
export function clusterLines(exact: Map<number, number>, known: number[]): [number, number] | undefined {
  // Cluster loosely (stroke cores vary with subpixel position); the most frequent value represents.
  const seeds = [...exact.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2048);
  const reps: number[] = [],
    labs: Lab[] = [],
    counts: number[] = [];
  const knownLabs = known.map(packedToLab);
  for (const [c, n] of seeds) {
    const lab = packedToLab(c);
    let k = labs.findIndex((l) => deltaE2(l, lab) < 20 * 20);
    if (k < 0) {
      if (knownLabs.some((l) => deltaE2(l, lab) < 20 * 20)) continue;
      reps.push(c);
      labs.push(lab);
      counts.push(0);
      k = reps.length - 1;
    }
    counts[k] += n;
  }
  let best = -1;
  for (let k = 0; k < reps.length; k++) if (best < 0 || counts[k] > counts[best]) best = k;
  return best < 0 ? undefined : [reps[best], counts[best]];
}
