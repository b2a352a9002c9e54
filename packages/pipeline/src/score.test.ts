import { describe, expect, it } from 'vitest';
import type { RgbaImage } from './image.js';
import { compareImages, flatPixel } from './score.js';

describe('compareImages (wasm/score.c)', () => {
  it('flattens on white exactly as flatPixel does (the ink check uses flatPixel): every alpha, many colours', () => {
    // 256×256 (scored at full resolution): pixel (x, y) has alpha x and a colour from y.
    const w = 256,
      h = 256;
    const a = new Uint8Array(w * h * 4),
      b = new Uint8Array(w * h * 4);
    const words = new Int32Array(a.buffer);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const p = y * w + x;
        a.set([y, (y * 7) & 255, (y * 13 + 91) & 255, x], p * 4);
        const f = flatPixel(words[p]);
        b.set([f & 255, (f >> 8) & 255, (f >> 16) & 255, 255], p * 4);
      }
    const ref: RgbaImage = { width: w, height: h, data: a };
    // Identical planes score exactly 1, and no pixel is bad: the C flattening (colour and luma)
    // agrees with the JavaScript one on every pixel.
    expect(compareImages(ref, { width: w, height: h, data: b })).toEqual({ ssim: 1, ssimGrey: 1, badPixelShare: 0 });
    // The check can fail: red one level off in an eighth of the pixels shows at four decimals.
    for (let p = 0; p < (w * h) / 8; p++) b[p * 4] ^= 1;
    expect(compareImages(ref, { width: w, height: h, data: b }).ssim).toBeLessThan(1);
  });
});
