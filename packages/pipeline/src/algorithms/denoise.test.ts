import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readCorpus, scanOf } from '../fixtures.testkit.js';
import type { RgbaImage } from '../image.js';
import { estimateNoise, medianCopy, NOISY_SIGMA } from './denoise.js';

async function pixels(bytes: Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

const LOGO = readCorpus('dev-devicon-magento.svg').toString();

describe('noise estimate', () => {
  it('is about zero on clean renders, JPEG included', async () => {
    expect(estimateNoise(await pixels(readCorpus('dev-devicon-magento.png')))).toBeLessThan(0.5);
    const jpeg = await sharp(readCorpus('dev-devicon-magento.png'))
      .flatten({ background: '#fff' })
      .jpeg({ quality: 35 })
      .toBuffer();
    expect(estimateNoise(await pixels(jpeg))).toBeLessThan(NOISY_SIGMA);
  });

  it('grows with the noise of a seeded scan', async () => {
    const light = estimateNoise(await pixels(await scanOf(LOGO, 384, 7, 4)));
    const scan = estimateNoise(await pixels(await scanOf(LOGO, 384, 7, 12)));
    expect(scan).toBeGreaterThan(NOISY_SIGMA);
    expect(scan).toBeGreaterThan(light * 2);
  });
});

describe('median denoise', () => {
  it('takes a scan under the noise threshold and keeps its flat colours exact', async () => {
    const scan = await pixels(await scanOf(LOGO, 384, 3));
    const clean = await medianCopy(scan, 5);
    expect(estimateNoise(clean)).toBeLessThan(NOISY_SIGMA);
    // The white page stays near 255: a median keeps the clipped value, where a mean of the clipped
    // noise drifts to about 251.9 (which SSIM near white or black punishes).
    let sum = 0;
    for (let i = 0; i < clean.width * 8 * 4; i += 4) sum += clean.data[i];
    expect(sum / (clean.width * 8)).toBeGreaterThan(253);
  });
});
