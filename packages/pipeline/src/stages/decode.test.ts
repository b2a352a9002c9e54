import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { svgToPng } from '../fixtures.testkit.js';
import { contextBefore, FLAG } from './stages.testkit.js';

describe('decode stage', () => {
  it('decodes a small PNG at its own size and upscales the tracing copy', async () => {
    const ctx = await contextBefore('decode');
    await decode.run(ctx);
    const d = ctx.decoded!;
    expect([d.original.width, d.original.height]).toEqual([96, 64]);
    expect([d.image.width, d.image.height, d.scale]).toEqual([384, 256, 4]);
    expect(d.reference.data.slice(0, 4)).toEqual(new Uint8Array([255, 0, 0, 255]));
    expect(ctx.noisy).toBe(false);
  });

  it('upscales with pixel centres aligned: an edge on an input pixel boundary stays on the boundary', async () => {
    const png = svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><rect x="40" y="40" width="48" height="48" fill="#f00"/></svg>',
    );
    const ctx = await contextBefore('decode', png);
    await decode.run(ctx);
    const { image, scale } = ctx.decoded!;
    const alpha = (x: number) => image.data[(64 * scale * image.width + x) * 4 + 3];
    // Left edge at 40 input px: the tracing pixels either side are as far above and below half.
    const [l, r] = [40 * scale, 88 * scale];
    expect(alpha(l - 1)).toBeLessThan(128);
    expect(alpha(l)).toBeGreaterThan(128);
    expect(Math.abs(alpha(l - 1) + alpha(l) - 255)).toBeLessThanOrEqual(2);
    expect(alpha(r - 1)).toBeGreaterThan(128);
    expect(alpha(r)).toBeLessThan(128);
  });

  it('marks JPEG input as noisy', async () => {
    const jpeg = await sharp(FLAG).jpeg({ quality: 90 }).toBuffer();
    const ctx = await contextBefore('decode', jpeg);
    await decode.run(ctx);
    expect(ctx.decoded!.format).toBe('jpeg');
    expect(ctx.noisy).toBe(true);
  });
});
