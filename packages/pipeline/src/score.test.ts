import { describe, expect, it } from 'vitest';
import type { RgbaImage } from './image.js';
import fs from 'node:fs';
import path from 'node:path';
import { decodeImage } from './decode.js';
import { DEFAULT_LIMITS } from './options.js';
import { convertImage } from './pipeline.js';
import { CORPUS, randomRgba } from './fixtures.testkit.js';
import { compareImages, downsample, flatPixel, renderSvg, scorePlanes, scoreSvg, scoreTarget } from './score.js';

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

describe('scoreTarget (wasm/score.c: tf_score_shrink)', () => {
  it("shrinks each channel flattened on white exactly as ssim.js's downsampling does, for f = 2, 3 and 5", () => {
    for (const [w, h, f, seed] of [
      [512, 512, 2, 1],
      [767, 513, 2, 2],
      [900, 700, 3, 3],
      [1291, 1400, 5, 4],
    ]) {
      const img = randomRgba(w, h, seed);
      const t = scoreTarget(img);
      expect(t.factor).toBe(f);
      const { planes } = scorePlanes(img);
      const { width: ow, height: oh, data } = t.image;
      for (let c = 0; c < 3; c++) {
        const [want, ww, wh] = downsample(planes[c], w, h, f, 'test');
        expect([ww, wh]).toEqual([ow, oh]);
        const got = new Uint8Array(ow * oh);
        for (let p = 0; p < ow * oh; p++) got[p] = data[p * 4 + c];
        expect(Buffer.compare(got, want.subarray(0, ow * oh))).toBe(0);
      }
      for (let p = 0; p < ow * oh; p++) expect(data[p * 4 + 3]).toBe(255);
    }
  });

  it('leaves a reference ssim.js would not shrink as it is', () => {
    const img = randomRgba(300, 200, 5);
    expect(scoreTarget(img)).toEqual({ image: img, factor: 1, width: 300, height: 200 });
  });

  it('scores a result drawn at the shrunk size as the full-size render scores, within 0.013 (median 0.001)', async () => {
    const files = fs
      .readdirSync(CORPUS)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .filter((_, i) => i % 6 === 0);
    const deltas: number[] = [];
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(CORPUS, file));
      const { reference } = await decodeImage(bytes, DEFAULT_LIMITS);
      if (scoreTarget(reference).factor === 1) continue;
      const { svg } = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS);
      const full = compareImages(reference, renderSvg(svg, reference.width, reference.height));
      const shrunk = scoreSvg(svg, reference);
      deltas.push(shrunk.ssim - full.ssim);
      expect(Math.abs(shrunk.ssim - full.ssim)).toBeLessThan(0.013);
      expect(Math.abs(shrunk.ssimGrey - full.ssimGrey)).toBeLessThan(0.013);
      // Drawn half a pixel off (the window's offset ignored), the same result scores clearly lower.
      const off = svg.replace(/viewBox="0 0 /, 'viewBox="1 1 ');
      expect(scoreSvg(off, reference).ssim).toBeLessThan(shrunk.ssim);
    }
    expect(deltas.length).toBeGreaterThan(6);
    deltas.sort((a, b) => a - b);
    expect(Math.abs(deltas[deltas.length >> 1])).toBeLessThan(0.003);
  }, 60_000);
});
