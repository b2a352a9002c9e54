import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../decode.js';
import { CORPUS, firstDifference, randomRgba, readCorpus } from '../fixtures.testkit.js';
import type { RgbaImage } from '../image.js';
import { DEFAULT_LIMITS } from '../options.js';
import { pixelStats } from './pixel-stats.js';
import { ALPHA_THRESHOLD, flatTolerance } from '../constants.js';
import { deltaE2, packedToLab } from '../color.js';
import {
  assignLabels,
  buildPalette,
  clusterLines,
  flatMask,
  lineColours,
  refineEdgeLabels,
  type Palette,
} from './palette.js';

/** A 100×100 opaque image: white, a big blue block, and a small block of a JPEG-shifted blue. */
function image(): RgbaImage {
  const w = 100,
    h = 100;
  const data = new Uint8Array(w * h * 4).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: number[]) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set([r, g, b, 255], (y * w + x) * 4);
  };
  fill(0, 0, 100, 40, [0x25, 0x63, 0xeb]);
  fill(0, 60, 10, 64, [0x2f, 0x59, 0xff]); // ΔE 18 from the big blue, 1/100 of its area
  return { width: w, height: h, data };
}

describe('buildPalette', () => {
  it('keeps a small cluster near a big one as a colour of its own by default', () => {
    const p = buildPalette(image(), { maxColors: 8, mergeDeltaE: 16 });
    expect(p.colors).toEqual([0xffffff, 0x2563eb, 0x2f59ff]);
  });

  it('folds it into the big one when minor clusters are compression artefacts (lossy input)', () => {
    const plain = buildPalette(image(), { maxColors: 8, mergeDeltaE: 16 });
    const p = buildPalette(image(), { maxColors: 8, mergeDeltaE: 16, minor: { deltaE: 25, ratio: 0.1 } });
    expect(p.colors).toEqual([0xffffff, 0x2563eb]);
    expect(p.counts[1]).toBe(plain.counts[1] + plain.counts[2]);
  });
});

describe('buildPalette counts (wasm/colour-counts.c)', () => {
  /** 41×20: columns 0–19 red, 20 transparent, 21–40 green (equal areas). */
  const W = 41;
  function halves(): RgbaImage {
    const data = new Uint8Array(W * 20 * 4);
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < W; x++)
        data.set(x === 20 ? [0, 0, 0, 0] : x < 20 ? [255, 0, 0, 255] : [0, 200, 0, 255], (y * W + x) * 4);
    return { width: W, height: 20, data };
  }
  const flatAll = () => new Uint8Array(W * 20).fill(1);
  const opts = { maxColors: 8, mergeDeltaE: 8, minShare: 0 };

  it('counts flat opaque pixels per exact colour; equal counts keep the order of first appearance', () => {
    const img = halves();
    const p = buildPalette(img, { ...opts, flat: flatAll() });
    expect(p.colors).toEqual([0xff0000, 0x00c800]);
    expect(p.counts).toEqual([400, 400]);
    const mirrored = { ...img, data: new Uint8Array(img.data.length) };
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < W; x++)
        mirrored.data.set(img.data.subarray((y * W + W - 1 - x) * 4, (y * W + W - x) * 4), (y * W + x) * 4);
    expect(buildPalette(mirrored, { ...opts, flat: flatAll() }).colors).toEqual([0x00c800, 0xff0000]);
  });

  it('leaves out excluded and non-flat pixels', () => {
    const flat = flatAll();
    const exclude = new Uint8Array(W * 20);
    for (let y = 0; y < 19; y++) for (let x = 0; x < 20; x++) exclude[y * W + x] = 1; // red: its last row left
    for (let x = 21; x < W; x++) flat[x] = 0; // green's first row is not flat
    const p = buildPalette(halves(), { ...opts, flat, exclude });
    expect(p.colors).toEqual([0x00c800, 0xff0000]);
    expect(p.counts).toEqual([380, 20]);
  });
});

/** Labels pixel by pixel, nearest colour memoised in a Map: the oracle of assignLabels' runs and table. */
function assignLabelsJs(img: RgbaImage, palette: Palette): Int16Array {
  const labs = palette.colors.map(packedToLab);
  const memo = new Map<number, number>();
  const out = new Int16Array(img.width * img.height).fill(-1);
  if (!labs.length) return out;
  for (let p = 0; p < out.length; p++) {
    const d = img.data.subarray(p * 4, p * 4 + 4);
    if (d[3] < ALPHA_THRESHOLD) continue;
    const c = (d[0] << 16) | (d[1] << 8) | d[2];
    let k = memo.get(c);
    if (k === undefined) {
      const lab = packedToLab(c);
      let best = -1,
        bestD = Infinity;
      labs.forEach((l, i) => {
        const dd = deltaE2(lab, l);
        if (dd < bestD) [bestD, best] = [dd, i];
      });
      memo.set(c, (k = best));
    }
    out[p] = k;
  }
  return out;
}

/** lineColours as the TypeScript did it before wasm/line-colours.c took its two scans: the oracle. */
function lineColoursJs(img: RgbaImage, palette: Palette, flat: Uint8Array, minCount: number) {
  const { width: w, height: h, data: d } = img;
  if (palette.colors.length === 0) return { colors: [], counts: [] };
  const labels = assignLabelsJs(img, palette);
  const rgb = palette.colors.map((c) => [(c >> 16) & 255, (c >> 8) & 255, c & 255]);
  const mixError = (pr: number, pg: number, pb: number, A: number[], B: number[]) => {
    const ux = B[0] - A[0],
      uy = B[1] - A[1],
      uz = B[2] - A[2];
    const len = ux * ux + uy * uy + uz * uz;
    const t = len ? Math.max(0, Math.min(1, ((pr - A[0]) * ux + (pg - A[1]) * uy + (pb - A[2]) * uz) / len)) : 0;
    return (pr - A[0] - t * ux) ** 2 + (pg - A[1] - t * uy) ** 2 + (pb - A[2] - t * uz) ** 2;
  };
  const pixels: number[] = [],
    cands: number[][] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (flat[p] || d[p * 4 + 3] < 250) continue;
      const cand: number[] = [];
      for (let yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++)
        for (let xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++) {
          const q = yy * w + xx;
          if (flat[q] && labels[q] >= 0 && !cand.includes(labels[q])) cand.push(labels[q]);
        }
      if (!cand.length) continue;
      let best = Infinity;
      for (let s = 0; s < cand.length; s++)
        for (let t = s; t < cand.length; t++)
          best = Math.min(best, mixError(d[p * 4], d[p * 4 + 1], d[p * 4 + 2], rgb[cand[s]], rgb[cand[t]]));
      if (best < 56 * 56) continue;
      pixels.push(p);
      cands.push(cand);
    }
  const found: Palette = { colors: [], counts: [] };
  for (let round = 0; round < 4 && pixels.length; round++) {
    const lineRgb = found.colors.map((c) => [(c >> 16) & 255, (c >> 8) & 255, c & 255]);
    const exact = new Map<number, number>();
    pixels.forEach((p, k) => {
      const [pr, pg, pb] = d.subarray(p * 4, p * 4 + 3);
      if (cands[k].some((l) => lineRgb.some((L) => mixError(pr, pg, pb, rgb[l], L) < 56 * 56))) return;
      const c = (pr << 16) | (pg << 8) | pb;
      exact.set(c, (exact.get(c) ?? 0) + 1);
    });
    const top = clusterLines(exact, [...palette.colors, ...found.colors]);
    if (!top || top[1] < minCount) break;
    found.colors.push(top[0]);
    found.counts.push(top[1]);
  }
  return { ...found, labels };
}

describe('lineColours', () => {
  it('finds the line colours and labels the TypeScript found, on every corpus logo it runs on', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as {
      files: Array<{ file: string }>;
    };
    let withLines = 0;
    for (const { file } of manifest.files) {
      const d = await decodeImage(readCorpus(file), DEFAULT_LIMITS);
      if (d.image.width > d.original.width * 1.5 || d.noisy) continue; // features.ts skips these
      const stats = pixelStats(d.image, flatTolerance(false));
      const palette = buildPalette(d.image, { maxColors: 64, mergeDeltaE: 8, minShare: 0.0002, flat: stats.flat });
      const minCount = Math.max(40, stats.opaque * 0.002);
      const got = lineColours(d.image, palette, stats.flat, minCount);
      const want = lineColoursJs(d.image, palette, stats.flat, minCount);
      expect({ colors: got.colors, counts: got.counts }, file).toEqual({ colors: want.colors, counts: want.counts });
      const bytes = (a?: Int16Array) => Buffer.from(a!.buffer, a!.byteOffset, a!.byteLength);
      expect(Buffer.compare(bytes(got.labels), bytes(want.labels)), file).toBe(0);
      if (got.colors.length) withLines++;
    }
    expect(withLines).toBeGreaterThan(3);
  });

  it('agrees with the TypeScript on a synthetic picture of thin strokes between flat colours', () => {
    const w = 120,
      h = 80;
    const data = new Uint8Array(w * h * 4).fill(255);
    const set = (x: number, y: number, c: number[]) => data.set([...c, 255], (y * w + x) * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < 60; x++) set(x, y, [0x20, 0x40, 0xc0]);
    for (let y = 10; y < 70; y++) {
      set(60, y, [200, 30, 30]); // a red hairline on the boundary
      set(30 + (y % 7), y, [250, 220, 20]); // a yellow zig-zag inside the blue
      set(61, y, [(200 + 255) >> 1, (30 + 255) >> 1, (30 + 255) >> 1]); // its rim
    }
    const img = { width: w, height: h, data };
    const stats = pixelStats(img, flatTolerance(false));
    const palette = buildPalette(img, { maxColors: 64, mergeDeltaE: 8, minShare: 0.0002, flat: stats.flat });
    const got = lineColours(img, palette, stats.flat, 10);
    const want = lineColoursJs(img, palette, stats.flat, 10);
    expect(got.colors).toEqual(want.colors);
    expect(got.counts).toEqual(want.counts);
    expect(got.colors.length).toBeGreaterThan(0);
  });
});

/** refineEdgeLabels as the TypeScript did it before wasm/labels.c took it: the oracle. */
function refineEdgeLabelsJs(
  img: RgbaImage,
  labels: Int16Array,
  palette: Palette,
  flat: Uint8Array,
  lines: ReadonlySet<number>,
): void {
  const { width: w, height: h, data: d } = img;
  const rgb = palette.colors.map((c) => [(c >> 16) & 255, (c >> 8) & 255, c & 255]);
  const out = labels.slice();
  const cand: number[] = [];
  const seen = new Int32Array(rgb.length).fill(-1);
  const mixAt = (pr: number, pg: number, pb: number, A: number[], B: number[]) => {
    const ux = B[0] - A[0],
      uy = B[1] - A[1],
      uz = B[2] - A[2];
    const len = ux * ux + uy * uy + uz * uz;
    return len ? Math.max(0, Math.min(1, ((pr - A[0]) * ux + (pg - A[1]) * uy + (pb - A[2]) * uz) / len)) : 0;
  };
  const mixError = (pr: number, pg: number, pb: number, A: number[], B: number[]) => {
    const t = mixAt(pr, pg, pb, A, B);
    return (
      (pr - A[0] - t * (B[0] - A[0])) ** 2 + (pg - A[1] - t * (B[1] - A[1])) ** 2 + (pb - A[2] - t * (B[2] - A[2])) ** 2
    );
  };
  // The flat labels within 2 px, each once; false when `own` is among them.
  const flatNeighbourLabels = (x: number, y: number, own: number) => {
    const p = y * w + x;
    cand.length = 0;
    for (let yy = Math.max(0, y - 2), y1 = Math.min(h - 1, y + 2); yy <= y1; yy++)
      for (let xx = Math.max(0, x - 2), x1 = Math.min(w - 1, x + 2); xx <= x1; xx++) {
        const q = yy * w + xx;
        if (!flat[q]) continue;
        const l = labels[q];
        if (l < 0) continue;
        if (l === own) return false;
        if (seen[l] !== p) {
          seen[l] = p;
          cand.push(l);
        }
      }
    return true;
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const own = labels[p];
      if (own < 0 || own >= rgb.length || flat[p]) continue;
      if (!flatNeighbourLabels(x, y, own) || cand.length === 0) continue;
      if (lines.has(own)) cand.push(own);
      const [pr, pg, pb] = d.subarray(p * 4, p * 4 + 3);
      const c0 = rgb[own];
      const ownErr = (pr - c0[0]) ** 2 + (pg - c0[1]) ** 2 + (pb - c0[2]) ** 2;
      let best = -1,
        bestErr = Math.min(ownErr, 24 * 24);
      for (let s = 0; s < cand.length; s++)
        for (let t = s; t < cand.length; t++) {
          const A = rgb[cand[s]],
            B = rgb[cand[t]];
          const e = mixError(pr, pg, pb, A, B);
          if (e < bestErr) {
            bestErr = e;
            best = mixAt(pr, pg, pb, A, B) < 0.5 ? cand[s] : cand[t];
          }
        }
      if (best >= 0) out[p] = best;
    }
  labels.set(out);
}

/** assignLabels and refineEdgeLabels against their oracles on one image; how many labels refining changed. */
function expectLabelsAsOracles(img: RgbaImage, palette: Palette, flat: Uint8Array, lines: Set<number>, what: string) {
  const labels = assignLabels(img, palette);
  expect(firstDifference(labels, assignLabelsJs(img, palette)), what).toBe(-1);
  const got = labels.slice(),
    want = labels.slice();
  refineEdgeLabels(img, got, palette, flat, lines);
  refineEdgeLabelsJs(img, want, palette, flat, lines);
  expect(firstDifference(got, want), what).toBe(-1);
  return got.reduce((m, l, p) => m + (l !== labels[p] ? 1 : 0), 0);
}

describe('assignLabels and refineEdgeLabels (wasm/labels.c)', () => {
  it('label every corpus logo as the TypeScript did', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as {
      files: Array<{ file: string }>;
    };
    let refined = 0;
    for (const { file } of manifest.files) {
      const d = await decodeImage(readCorpus(file), DEFAULT_LIMITS);
      const flat = flatMask(d.image, flatTolerance(d.noisy));
      const flatPalette = buildPalette(d.image, { maxColors: 64, mergeDeltaE: 8, minShare: 0.0002, flat });
      // Line colours join the palette after the flat ones, as the features palette has them.
      const found = lineColours(d.image, flatPalette, flat, 40);
      const palette = {
        colors: [...flatPalette.colors, ...found.colors],
        counts: [...flatPalette.counts, ...found.counts],
      };
      const lines = new Set(found.colors.map((_, k) => flatPalette.colors.length + k));
      if (expectLabelsAsOracles(d.image, palette, flat, lines, file)) refined++;
    }
    expect(refined).toBeGreaterThan(20);
  });

  it('label seeded random pixels as the TypeScript did (duplicate colours, every alpha, 1-pixel sides)', () => {
    const sizes = [
      [1, 1],
      [1, 37],
      [53, 1],
      [2, 3],
      [64, 48],
      [97, 71],
    ];
    for (let seed = 1; seed <= 24; seed++) {
      const [w, h] = sizes[seed % sizes.length];
      const img = randomRgba(w, h, seed);
      const pixels = Array.from({ length: 9 }, (_, k) => {
        const i = ((k * 7919 * seed) % (w * h)) * 4;
        return (img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2];
      });
      // Some palette colours are the image's own, one is there twice (the first of equals wins).
      const colors = [0xffffff, 0, ...pixels.slice(0, 1 + (seed % 9)), pixels[0], 0x2563eb];
      const palette = { colors, counts: colors.map(() => 1) };
      const flat = flatMask(img, 8 + (seed % 5) * 10);
      const what = `seed ${seed}`;
      expectLabelsAsOracles(img, palette, flat, new Set([colors.length - 1, seed % colors.length]), what);
      expectLabelsAsOracles(img, palette, flat, new Set(), what);
    }
  });
});
