import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABEL_SMOOTHING } from '../constants.js';
import { decodeImage } from '../decode.js';
import { CORPUS, firstDifference, randomRgba, readCorpus } from '../fixtures.testkit.js';
import { DEFAULT_LIMITS } from '../options.js';
import { assignLabels, buildPalette } from './palette.js';
import { modeFilterLabels } from './smooth-labels.js';

/** A w×h label map from rows of characters ('.' = -1, digits = labels). */
const map = (rows: string[]) => Int16Array.from(rows.join('').split(''), (c) => (c === '.' ? -1 : Number(c)));

describe('label mode filter', () => {
  it('removes a one-pixel bump on a straight edge and keeps the edge where it is', () => {
    const labels = map(['0000000', '0000000', '0001000', '1111111', '1111111', '1111111']);
    modeFilterLabels(labels, 7, 6, 1);
    expect(labels).toEqual(map(['0000000', '0000000', '0000000', '1111111', '1111111', '1111111']));
  });

  it('leaves region interiors and transparent areas alone', () => {
    const rows = ['........', '.222222.', '.222222.', '.222222.', '.222222.', '........'];
    const labels = map(rows);
    modeFilterLabels(labels, 8, 6, 1);
    // Only the corners of the rectangle (3 of 9 in their window) change.
    const want = map(['........', '..2222..', '.222222.', '.222222.', '..2222..', '........']);
    expect(labels).toEqual(want);
  });

  it('does nothing at radius 0', () => {
    const labels = map(['010', '101']);
    modeFilterLabels(labels, 3, 2, 0);
    expect(labels).toEqual(map(['010', '101']));
  });
});

/** modeFilterLabels as the TypeScript did it before wasm/labels.c took it: the oracle. */
function modeFilterLabelsJs(labels: Int16Array, w: number, h: number, r: number): void {
  if (r <= 0) return;
  let max = 0;
  for (let p = 0; p < labels.length; p++) if (labels[p] > max) max = labels[p];
  const counts = new Int32Array(max + 2); // label l counted at l + 1
  const out = labels.slice();
  const touched: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const own = labels[p];
      if (
        (x === 0 || labels[p - 1] === own) &&
        (x === w - 1 || labels[p + 1] === own) &&
        (y === 0 || labels[p - w] === own) &&
        (y === h - 1 || labels[p + w] === own)
      )
        continue;
      let best = own;
      for (let yy = Math.max(0, y - r), y1 = Math.min(h - 1, y + r); yy <= y1; yy++) {
        for (let xx = Math.max(0, x - r), x1 = Math.min(w - 1, x + r); xx <= x1; xx++) {
          const l = labels[yy * w + xx] + 1;
          if (counts[l] === 0) touched.push(l);
          counts[l]++;
        }
      }
      let bestN = counts[own + 1];
      for (const l of touched) {
        if (counts[l] > bestN) {
          bestN = counts[l];
          best = l - 1;
        }
        counts[l] = 0;
      }
      touched.length = 0;
      out[p] = best;
    }
  }
  labels.set(out);
}

/** modeFilterLabels against its oracle; how many labels it changed. */
function expectModeAsOracle(labels: Int16Array, w: number, h: number, r: number, what: string): number {
  const got = labels.slice(),
    want = labels.slice();
  modeFilterLabels(got, w, h, r);
  modeFilterLabelsJs(want, w, h, r);
  expect(firstDifference(got, want), what).toBe(-1);
  return got.reduce((m, l, p) => m + (l !== labels[p] ? 1 : 0), 0);
}

describe('label mode filter in wasm (wasm/labels.c)', () => {
  it('filters the labels of every corpus logo as the TypeScript did', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as {
      files: Array<{ file: string }>;
    };
    let upscaled = 0;
    for (const { file } of manifest.files) {
      const d = await decodeImage(readCorpus(file), DEFAULT_LIMITS);
      const { width: w, height: h } = d.image;
      const palette = buildPalette(d.image, { maxColors: 16, mergeDeltaE: 8, minShare: 0.0002 });
      const labels = assignLabels(d.image, palette);
      // The pipeline filters upscaled logos only (stages/layers.ts); the others at r = 2 as well.
      const r = d.scale > 1 ? Math.round(LABEL_SMOOTHING * d.scale) : 2;
      if (d.scale > 1) upscaled++;
      expectModeAsOracle(labels, w, h, r, file);
    }
    expect(upscaled).toBeGreaterThan(5);
  });

  it('filters seeded random label maps as the TypeScript did (every radius, 1-pixel sides)', () => {
    const sizes = [
      [1, 1],
      [1, 29],
      [41, 1],
      [3, 2],
      [60, 45],
      [83, 67],
    ];
    let changed = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const [w, h] = sizes[seed % sizes.length];
      const { data } = randomRgba(w, h, seed);
      const k = 2 + (seed % 7); // labels -1 … k - 2, in the pixels' runs
      const labels = Int16Array.from({ length: w * h }, (_, p) => (data[p * 4] % k) - 1);
      changed += expectModeAsOracle(labels, w, h, 1 + (seed % 5), `seed ${seed}`);
    }
    expect(changed).toBeGreaterThan(100);
  });
});
