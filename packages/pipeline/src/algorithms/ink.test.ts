import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readCorpus, renderOnWhite, scanOf } from '../fixtures.testkit.js';
import type { RgbaImage } from '../image.js';
import { inkOf, inkRecall, MIN_INK_RECALL } from './ink.js';

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
});
