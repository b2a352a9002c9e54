import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../image.js';
import { buildPalette } from './palette.js';

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
