import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { TracefleetError } from '@tracefleet/errors';
import { convertImage } from './pipeline.js';
import { probeImage } from './decode.js';
import { DEFAULT_LIMITS, normalizeOptions, optionsKey } from './options.js';
import { renderSvg } from './score.js';
import { assertSafeSvg, optimizeSvg } from './svg.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');
const read = (f: string) => fs.readFileSync(path.join(CORPUS, f));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(TracefleetError);
    return (err as TracefleetError).code;
  }
}

describe('options', () => {
  it('normalises and validates', () => {
    expect(normalizeOptions({})).toEqual({ mode: 'auto' });
    expect(normalizeOptions({ mode: 'COLOUR', colors: '8' })).toEqual({ mode: 'color', colors: 8 });
    expect(optionsKey(normalizeOptions({ mode: 'mono' }))).toBe('mono.a');
    expect(() => normalizeOptions({ mode: 'x' })).toThrow(TracefleetError);
    expect(() => normalizeOptions({ colors: '1' })).toThrow(/colors/);
    expect(() => normalizeOptions({ colors: '2.5' })).toThrow(/colors/);
  });
});

describe('bad input gets a typed error', () => {
  it.each([
    ['bad-empty.png', 'INVALID_IMAGE'],
    ['bad-text.png', 'INVALID_IMAGE'],
    ['bad-truncated.png', 'INVALID_IMAGE'],
    ['bad-1x1.png', 'IMAGE_TOO_SMALL'],
    ['bad-huge-30000.png', 'IMAGE_TOO_LARGE'],
  ])('%s → %s', async (file, code) => {
    expect(await codeOf(convertImage(read(`bad/${file}`), { mode: 'auto' }, DEFAULT_LIMITS))).toBe(code);
  });
  it('refuses a pixel bomb from its header alone', async () => {
    const before = process.memoryUsage().rss;
    expect(await codeOf(probeImage(read('bad/bad-huge-30000.png'), DEFAULT_LIMITS))).toBe('IMAGE_TOO_LARGE');
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('conversion', () => {
  it('traces a mono logo in its brand colour', async () => {
    const r = await convertImage(read('dev-si-bitcoin.png'), { mode: 'auto' }, DEFAULT_LIMITS);
    assertSafeSvg(r.svg);
    expect(r.svg).toMatch(/viewBox="0 0 512 512"/);
    expect(r.svg.toLowerCase()).toContain('#f7931a');
    expect(r.meta.quality.ssim).toBeGreaterThan(0.95);
    expect(r.meta.timings.trace).toBeGreaterThan(0);
  });

  it('produces a coloured SVG in color mode', async () => {
    const r = await convertImage(read('dev-flag-us.png'), { mode: 'color' }, DEFAULT_LIMITS);
    expect(r.meta.colors.length).toBeGreaterThanOrEqual(3);
    expect(r.meta.quality.ssim).toBeGreaterThan(0.95);
  });

  it('keeps transparency transparent', async () => {
    const r = await convertImage(read('dev-si-bitcoin.png'), { mode: 'auto' }, DEFAULT_LIMITS);
    const img = renderSvg(r.svg, 512, 512);
    expect(img.data[3]).toBe(0); // top-left corner of a round logo
  });

  it('honours EXIF orientation', async () => {
    // A 64x32 image, left half black, tagged "rotate 90° clockwise" (orientation 6): displayed 32x64, top half black.
    const raw = Buffer.alloc(64 * 32 * 4, 255);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) raw.fill(0, (y * 64 + x) * 4, (y * 64 + x) * 4 + 3);
    const jpeg = await sharp(raw, { raw: { width: 64, height: 32, channels: 4 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const r = await convertImage(jpeg, { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.meta.width).toBe(32);
    expect(r.meta.height).toBe(64);
    const img = renderSvg(r.svg, 32, 64);
    const px = (x: number, y: number) => img.data[(y * 32 + x) * 4];
    expect(px(16, 8)).toBeLessThan(60);
    expect(px(16, 56)).toBeGreaterThan(200);
  });
});

describe('output safety', () => {
  it.each([
    '<svg><script>alert(1)</script></svg>',
    '<svg><path onload="x()"/></svg>',
    '<svg><image href="http://evil/x.png"/></svg>',
    '<svg><foreignObject/></svg>',
    '<svg><path fill="url(http://x/y)"/></svg>',
  ])('rejects %s', (svg) => {
    expect(() => assertSafeSvg(svg)).toThrow(TracefleetError);
  });
  it('keeps an all-degenerate picture a single <svg> element after svgo', () => {
    const out = optimizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 800" width="48" height="800"><path fill="#000" d=""/></svg>',
    );
    expect(out).toMatch(/^<svg[^>]*><\/svg>$/);
    expect(() => assertSafeSvg(out)).not.toThrow();
  });
  it('accepts internal references', () => {
    expect(() => assertSafeSvg('<svg><path fill="url(#g)"/></svg>')).not.toThrow();
  });
});
