import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { contextBefore, FLAG } from './stages.testkit.js';

describe('decode stage', () => {
  it('decodes a small PNG at its own size and upscales the tracing copy', async () => {
    const ctx = await contextBefore('decode');
    await decode.run(ctx);
    const d = ctx.decoded!;
    expect([d.original.width, d.original.height]).toEqual([96, 64]);
    expect([d.image.width, d.image.height, d.scale]).toEqual([384, 256, 4]);
    expect(d.original.data.slice(0, 4)).toEqual(new Uint8Array([255, 0, 0, 255]));
    expect(ctx.noisy).toBe(false);
  });

  it('marks JPEG input as noisy', async () => {
    const jpeg = await sharp(FLAG).jpeg({ quality: 90 }).toBuffer();
    const ctx = await contextBefore('decode', jpeg);
    await decode.run(ctx);
    expect(ctx.decoded!.format).toBe('jpeg');
    expect(ctx.noisy).toBe(true);
  });
});
