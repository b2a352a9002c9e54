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
