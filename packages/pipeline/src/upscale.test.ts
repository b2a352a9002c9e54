import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, upscale } from './decode.js';
import type { RgbaImage } from './image.js';
import { DEFAULT_LIMITS } from './options.js';
import { CORPUS, randomRgba } from './fixtures.testkit.js';

/** What decode.ts did before wasm/upscale.c: sharp's extend by two copied pixels, bicubic affine, crop. */
async function sharpUpscale(img: RgbaImage, k: number): Promise<Buffer> {
  const pad = 2;
  const raw = (data: Uint8Array, width: number, height: number) =>
    sharp(Buffer.from(data.buffer, data.byteOffset, data.length), { raw: { width, height, channels: 4 } });
  const padded = await raw(img.data, img.width, img.height)
    .extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' })
    .raw()
    .toBuffer();
  const pw = img.width + 2 * pad,
    ph = img.height + 2 * pad;
  const big = await raw(padded, pw, ph)
    .affine([k, 0, 0, k], { interpolator: 'bicubic', odx: (k - 1) / 2, ody: (k - 1) / 2 })
    .raw()
    .toBuffer();
  const w = img.width * k,
    h = img.height * k,
    bw = pw * k;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    big.copy(out, y * w * 4, ((y + pad * k) * bw + pad * k) * 4, ((y + pad * k) * bw + pad * k + w) * 4);
  return out;
}

describe('upscale (wasm/upscale.c)', () => {
  it('gives the bytes of sharp’s extend + bicubic affine for k = 2, 3 and 4', async () => {
    const sizes: Array<[number, number]> = [
      [1, 1],
      [3, 2],
      [17, 9],
      [64, 64],
      [100, 37],
      [191, 130],
    ];
    for (const k of [2, 3, 4])
      for (const [w, h] of sizes) {
        const img = randomRgba(w, h, w * 131 + h * 7 + k);
        const got = upscale(img, k);
        const want = await sharpUpscale(img, k);
        expect(got.length).toBe(want.length);
        expect(Buffer.compare(got, want), `k=${k} ${w}×${h}`).toBe(0);
      }
  });

  it('gives sharp’s bytes on the corpus logos decodeImage upscales', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as {
      files: Array<{ file: string }>;
    };
    let checked = 0;
    for (const { file } of manifest.files) {
      const bytes = fs.readFileSync(path.join(CORPUS, file));
      const d = await decodeImage(bytes, DEFAULT_LIMITS);
      if (d.scale <= 1) continue;
      const k = d.image.width / d.reference.width;
      expect(Buffer.compare(upscale(d.reference, k), await sharpUpscale(d.reference, k)), file).toBe(0);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});
