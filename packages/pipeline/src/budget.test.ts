import { describe, expect, it } from 'vitest';
import { checkSvgBytes, OutputBudget } from './budget.js';
import { convertImage } from './pipeline.js';
import { DEFAULT_LIMITS } from './options.js';
import sharp from 'sharp';

describe('output complexity budget', () => {
  it('charges contours and bytes layer by layer and refuses past MAX_SVG_PATHS or MAX_SVG_BYTES', () => {
    const contour = 'M10 10 l5 0 0 5 -5 0z';
    const paths = new OutputBudget({ maxSvgPaths: 3, maxSvgBytes: 1e6 });
    paths.charge(contour + contour);
    paths.charge(contour);
    expect(() => paths.charge(contour)).toThrow(expect.objectContaining({ code: 'IMAGE_TOO_COMPLEX' }));
    const bytes = new OutputBudget({ maxSvgPaths: 1e6, maxSvgBytes: 1024 });
    bytes.charge(contour.repeat(80));
    expect(() => bytes.charge(contour.repeat(20))).toThrow(/MAX_SVG_BYTES/);
    expect(() => checkSvgBytes('x'.repeat(1025), { maxSvgBytes: 1024 })).toThrow(/MAX_SVG_BYTES/);
    checkSvgBytes('x'.repeat(1024), { maxSvgBytes: 1024 });
  });

  it('simplifies or refuses noise (typed error), never a huge SVG, and keeps logos within the default budget', async () => {
    const n = 256;
    const noise = Buffer.alloc(n * n * 3);
    let x = 7;
    for (let i = 0; i < noise.length; i++) noise[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    const png = await sharp(noise, { raw: { width: n, height: n, channels: 3 } })
      .png()
      .toBuffer();
    const tight = { ...DEFAULT_LIMITS, maxSvgPaths: 2000 };
    // Noise is either simplified (the denoised tracing copy) into a small SVG within the budget, or
    // refused with a typed error: never a huge SVG.
    const outcome = await convertImage(png, { mode: 'auto' }, tight).then(
      (r) => r.meta,
      (err: { code?: string }) => err.code,
    );
    if (typeof outcome === 'string') expect(['IMAGE_TOO_COMPLEX', 'UNTRACEABLE']).toContain(outcome);
    else {
      expect(outcome.paths).toBeLessThanOrEqual(tight.maxSvgPaths);
      expect(outcome.bytes).toBeLessThan(200_000);
    }
    const logo = await sharp({ create: { width: 200, height: 120, channels: 3, background: '#ffffff' } })
      .composite([
        { input: { create: { width: 80, height: 60, channels: 3, background: '#d62828' } }, left: 40, top: 30 },
      ])
      .png()
      .toBuffer();
    const r = await convertImage(logo, { mode: 'auto' }, tight);
    expect(r.meta.bytes).toBeLessThan(DEFAULT_LIMITS.maxSvgBytes);
  });
});
