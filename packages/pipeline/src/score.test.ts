import { describe, expect, it } from 'vitest';
import type { RgbaImage } from './image.js';
import fs from 'node:fs';
import path from 'node:path';
import { decodeImage } from './decode.js';
import { DEFAULT_LIMITS } from './options.js';
import { convertImage } from './pipeline.js';
import { CORPUS, randomRgba } from './fixtures.testkit.js';
import {
  compareImages,
  downsample,
  flatPixel,
  renderSvg,
  scorePlanes,
  scoreSvg,
  scoreTarget,
  ssimPlane,
} from './score.js';
import { bufferView, SLOT, wasm } from './wasm.js';

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

describe('tf_ssim4 (the four planes in one SIMD pass)', () => {
  const L = 255;
  /** tf_ssim4's four raw means and bad count, against meanSsim per plane (ssimPlane at factor 1) and a count here. */
  function check(a: RgbaImage, b: RgbaImage): void {
    const { width: w, height: h } = a;
    const n = w * h;
    bufferView(SLOT.scoreReference, n * 4).set(a.data.subarray(0, n * 4));
    bufferView(SLOT.scoreCandidate, n * 4).set(b.data.subarray(0, n * 4));
    const ex = wasm();
    const bad = ex.tf_ssim4(w, h, (0.01 * L) ** 2, (0.03 * L) ** 2);
    const got = [...new Float64Array(ex.memory.buffer, ex.tf_ssim4_result(), 4)];
    const pa = scorePlanes(a).planes,
      pb = scorePlanes(b).planes;
    expect(got).toEqual([0, 1, 2, 3].map((c) => ssimPlane(pa[c], pb[c], w, h, 1)));
    let want = 0;
    for (let p = 0; p < n; p++) if ([0, 1, 2].some((c) => Math.abs(pa[c][p] - pb[c][p]) > 64)) want++;
    expect(bad).toBe(want);
  }

  it('equals meanSsim on every plane, to the last bit, on random pictures of many sizes', () => {
    for (const [w, h, seed] of [
      [256, 256, 11],
      [300, 170, 12],
      [11, 40, 13],
      [7, 9, 14],
      [64, 3, 15],
    ]) {
      const a = randomRgba(w, h, seed),
        b = randomRgba(w, h, seed + 100);
      // Half the candidate equal to the reference: long runs of unchanged windows, as in real scores.
      b.data.set(a.data.subarray(0, (w * h * 2) & ~3));
      check(a, b);
    }
  });

  it('equals meanSsim on every plane for corpus logos and their traced renders', async () => {
    const files = fs
      .readdirSync(CORPUS)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .filter((_, i) => i % 9 === 0);
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(CORPUS, file));
      const { reference } = await decodeImage(bytes, DEFAULT_LIMITS);
      const t = scoreTarget(reference);
      const { svg } = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS);
      check(t.image, renderSvg(svg, t.image.width, t.image.height));
    }
  }, 60_000);
});
