import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { randomRgba, readCorpus, renderOnWhite, scanOf } from '../fixtures.testkit.js';
import type { RgbaImage } from '../image.js';
import { flatPixel } from '../score.js';
import { inkOf, inkRecall, MIN_INK_RECALL } from './ink.js';

/** The TypeScript the wasm passes replaced (tf_ink_mask, tf_ink_kept): the oracle. */
const inksJs = (f: number, page: number[]) =>
  Math.abs((f & 255) - page[0]) > 64 ||
  Math.abs(((f >> 8) & 255) - page[1]) > 64 ||
  Math.abs(((f >> 16) & 255) - page[2]) > 64;
function maskJs(img: RgbaImage, page: number[]): Uint8Array {
  const px = new Int32Array(img.data.slice().buffer);
  return Uint8Array.from(px, (w) => (inksJs(flatPixel(w), page) ? 1 : 0));
}
function keptJs(mask: Uint8Array, rendered: RgbaImage, page: number[]): number {
  const px = new Int32Array(rendered.data.slice().buffer);
  let kept = 0;
  for (let p = 0; p < px.length; p++) if (mask[p] && inksJs(flatPixel(px[p]), page)) kept++;
  return kept;
}

async function pixels(bytes: Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

const LOGO = readCorpus('dev-si-1001tracklists.svg').toString();

describe('ink recall', () => {
  it('finds the ink of a noisy scan, not its noise', async () => {
    const scan = inkOf(await pixels(await scanOf(LOGO, 384, 5)));
    const clean = inkOf(renderOnWhite(LOGO, 384));
    expect(scan.page).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(scan.page.every((c) => c > 230)).toBe(true);
    expect(scan.share).toBeGreaterThan(0.05);
    expect(Math.abs(scan.share - clean.share)).toBeLessThan(0.03);
  });

  it('is high for the clean logo and zero for a blank picture over it', async () => {
    const scan = inkOf(await pixels(await scanOf(LOGO, 384, 5)));
    const clean = renderOnWhite(LOGO, 384);
    expect(inkRecall(scan, clean)).toBeGreaterThan(0.9);
    const blank = { ...clean, data: new Uint8Array(clean.data.length).fill(255) };
    expect(inkRecall(scan, blank)).toBe(0);
    expect(inkRecall(scan, blank)).toBeLessThan(MIN_INK_RECALL);
  });

  it('does not judge an input without ink', () => {
    const white = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(255) };
    expect(inkRecall(inkOf(white), white)).toBe(1);
  });

  it('marks and counts the pixels the TypeScript judged, on logos and random pixels', async () => {
    const images = [
      await pixels(await scanOf(LOGO, 384, 5)),
      renderOnWhite(LOGO, 384),
      randomRgba(97, 61, 1),
      randomRgba(200, 150, 2),
    ];
    for (const [i, img] of images.entries()) {
      const ink = inkOf(img);
      const want = maskJs(img, ink.page);
      expect(Buffer.compare(Buffer.from(ink.mask), Buffer.from(want)), `image ${i}`).toBe(0);
      expect(ink.count).toBe(want.reduce((a, b) => a + b, 0));
      const other =
        images.find((o) => o !== img && o.width === img.width && o.height === img.height) ??
        randomRgba(img.width, img.height, 7 + i);
      const kept = keptJs(ink.mask, other, ink.page);
      expect(inkRecall(ink, other)).toBe(ink.share < 0.002 ? 1 : ink.count ? kept / ink.count : 1);
    }
  });
});
