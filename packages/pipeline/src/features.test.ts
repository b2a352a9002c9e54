import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertImage } from './pipeline.js';
import { decodeImage } from './decode.js';
import { classify } from './algorithms/classify.js';
import { extractFeatures, FEATURES_VERSION, type Features } from './features.js';
import { CORPUS, LABELLED, readCorpus, svgToPng } from './fixtures.testkit.js';
import { DEFAULT_LIMITS } from './options.js';
import { renderSvg, compareImages } from './score.js';

async function featuresOf(bytes: Uint8Array): Promise<Features> {
  const d = await decodeImage(bytes, DEFAULT_LIMITS);
  return extractFeatures(d.image, d.original, d.hasAlpha);
}

describe('logo-type classification', () => {
  // Hand-labelled fixtures (drawn for the purpose) and corpus logos whose label is known from
  // their source SVG: gradients in the SVG, a word mark, many colours, a plain flag.
  it.each([
    ['simple', svgToPng(LABELLED.simple)],
    ['text', svgToPng(LABELLED.text)],
    ['gradient', svgToPng(LABELLED.gradient)],
    ['gradient', svgToPng(LABELLED.radial)],
    ['complex', svgToPng(LABELLED.complex)],
    ['gradient', readCorpus('dev-devicon-vitejs.png')],
    ['gradient', readCorpus('dev-devicon-azuredevops.png')],
    ['text', readCorpus('dev-si-veritas.png')],
    ['complex', readCorpus('dev-flag-sh-hl.png')],
    ['simple', readCorpus('dev-flag-jm.png')],
    ['simple', readCorpus('dev-si-dacia.png')],
  ])('%s (#%#)', async (expected, bytes) => {
    expect((await featuresOf(bytes)).logoType).toBe(expected);
  });

  it('applies the documented rules in order', () => {
    const base = {
      palette: new Array(3).fill({ color: '#000000', share: 0.3 }),
      edgeDensity: 0.02,
      smoothShare: 0,
      gradientShare: 0,
      textLikeness: 0,
    } as unknown as Features;
    expect(classify(base)).toBe('simple');
    expect(classify({ ...base, textLikeness: 0.8 })).toBe('text');
    expect(classify({ ...base, textLikeness: 0.8, palette: new Array(12).fill(base.palette[0]) })).toBe('complex');
    expect(
      classify({ ...base, textLikeness: 0.8, palette: new Array(12).fill(base.palette[0]), gradientShare: 0.5 }),
    ).toBe('gradient');
  });
});

describe('palette', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as {
    files: Array<{ file: string; kind: string; brand_hex?: string }>;
  };
  const mono = manifest.files.filter((f) => f.kind === 'mono').slice(0, 8);

  it.each(mono.map((f) => [f.file, f.brand_hex!.toLowerCase()]))(
    'keeps the exact brand colour of %s (%s)',
    async (file, hex) => {
      const r = await convertImage(readCorpus(file), { mode: 'auto' }, DEFAULT_LIMITS);
      expect(r.features.dominant[0]).toBe(hex);
      expect(r.meta.colors).toContain(hex);
    },
  );

  it('keeps every flat colour of a flag exactly and adds no antialiasing colours', async () => {
    const r = await convertImage(readCorpus('dev-flag-us.png'), { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.features.palette.map((p) => p.color).sort()).toEqual(['#192f5d', '#bd3d44', '#ffffff']);
    expect([...r.meta.colors].sort()).toEqual(['#192f5d', '#bd3d44', '#ffffff']);
  });
});

describe('gradients', () => {
  it.each([
    ['linear', LABELLED.gradient, /<linearGradient/],
    ['radial', LABELLED.radial, /<radialGradient/],
  ])('a %s gradient logo yields a gradient fill that matches it', async (_, svg, re) => {
    const png = svgToPng(svg);
    const r = await convertImage(png, { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.svg).toMatch(re);
    expect(r.svg).toMatch(/fill="url\(#[a-z0-9]+\)"/);
    expect(r.meta.gradients).toBe(1);
    expect(r.meta.quality.ssim).toBeGreaterThan(0.96);
  });

  it('finds the gradients of a corpus logo drawn with them', async () => {
    const r = await convertImage(readCorpus('dev-devicon-azuredevops.png'), { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.svg).toMatch(/<linearGradient/);
    expect(r.meta.quality.ssim).toBeGreaterThan(0.97);
  });

  it('keeps flat logos free of gradients', async () => {
    const r = await convertImage(readCorpus('dev-flag-us.png'), { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.svg).not.toMatch(/Gradient/);
    expect(r.features.gradients).toEqual([]);
  });
});

describe('features as a cache entry', () => {
  it('are plain JSON and, given back, give the same SVG without extracting again', async () => {
    const bytes = readCorpus('dev-devicon-vitejs.png');
    const first = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS);
    expect(first.features.version).toBe(FEATURES_VERSION);
    const cached = JSON.parse(JSON.stringify(first.features)) as Features;
    expect(cached).toEqual(first.features);
    const again = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS, cached);
    expect(again.svg).toBe(first.svg);
    expect(again.features).toBe(cached); // reused, not re-extracted
  });

  it('ignores features of another extractor version', async () => {
    const bytes = readCorpus('dev-flag-us.png');
    const real = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS);
    const stale = { ...real.features, version: 'old', palette: [{ color: '#00ff00', share: 1 }] };
    const r = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS, stale);
    expect(r.svg).toBe(real.svg);
    expect(r.features.version).toBe(FEATURES_VERSION);
  });

  it('does not change the picture: the re-rendered SVG matches the input', async () => {
    const bytes = svgToPng(LABELLED.simple);
    const r = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS);
    const d = await decodeImage(bytes, DEFAULT_LIMITS);
    expect(compareImages(d.original, renderSvg(r.svg, 256, 256)).ssim).toBe(r.meta.quality.ssim);
  });
});
