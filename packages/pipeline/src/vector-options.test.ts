import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readCorpus } from './fixtures.testkit.js';
import { DEFAULT_LIMITS, normalizeOptions } from './options.js';
import { convertImage } from './pipeline.js';
import { renderSvg } from './score.js';
import { commands, polygonArea, subpaths, svgColours, svgPaths, svgShapes } from './svg-shapes.testkit.js';

/** The vector controls of issue 14, each checked on its output (README "Options"). */
const convert = (bytes: Uint8Array, query: Record<string, unknown>) =>
  convertImage(bytes, normalizeOptions(query), DEFAULT_LIMITS);

const PODMAN = readCorpus('dev-devicon-podman.png'); // 9 flat colours
const APACHE = readCorpus('dev-devicon-apache.png'); // 5 gradient fills

describe('palette', () => {
  it('every fill and stop colour is a palette colour, each path named by its colour', async () => {
    const palette = ['892ca0', '60605b', 'ffffff', '000000', 'e6a520'];
    for (const bytes of [PODMAN, APACHE]) {
      const r = await convert(bytes, { palette: palette.join(',') });
      const colours = svgColours(r.svg);
      expect(colours.length).toBeGreaterThan(0);
      for (const c of colours) expect(palette).toContain(c);
      expect(r.svg).not.toMatch(/Gradient/);
      const ids = svgPaths(r.svg).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of svgPaths(r.svg))
        expect(p.id).toBe(`c-${colours.find((c) => p.fill.length && c === hexOf(p.fill))}`);
    }
  });
});

const hexOf = (fill: string) => svgColours(`fill="${fill}"`)[0];

describe('background=remove', () => {
  it('turns a logo on white JPEG into a transparent SVG that keeps the logo', async () => {
    const jpeg = await sharp(readCorpus('dev-devicon-sass.png'))
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 85 })
      .toBuffer();
    const keep = await convert(jpeg, {});
    const removed = await convert(jpeg, { background: 'remove' });
    const { width: w, height: h } = removed.meta;
    const alpha = (svg: string) => {
      const img = renderSvg(svg, w, h);
      return (x: number, y: number) => img.data[(y * w + x) * 4 + 3];
    };
    const a = alpha(removed.svg),
      k = alpha(keep.svg);
    for (const [x, y] of [
      [0, 0],
      [w - 1, 0],
      [0, h - 1],
      [w - 1, h - 1],
    ]) {
      expect(a(x, y)).toBe(0);
      expect(k(x, y)).toBe(255);
    }
    // The logo's pixels are drawn: composited on white it scores as well as the opaque result.
    expect(removed.meta.quality.ssim).toBeGreaterThanOrEqual(keep.meta.quality.ssim - 0.01);
    const { data } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    let ink = 0,
      drawn = 0;
    for (let p = 0; p < w * h; p++)
      if (data[p * 3] + data[p * 3 + 1] + data[p * 3 + 2] < 600) {
        ink++;
        if (a(p % w, Math.floor(p / w)) > 128) drawn++;
      }
    expect(drawn / ink).toBeGreaterThan(0.97);
  });
});

describe('stacking=cutout', () => {
  // A flat-colour logo, a flag, and two 128 px raster logos (real antialiasing, traced upscaled):
  // before seam fillers and size-keeping smoothing, cutout lost 0.17 (iotx) and 0.05 (nmr) to stacked.
  for (const file of ['dev-devicon-podman.png', 'dev-flag-us.png', 'dev-crypto-iotx.png', 'dev-crypto-nmr.png'])
    it(`no pixel is covered by two shapes, no seam shows, and it scores within 0.01 of stacked (${file})`, async () => {
      const bytes = readCorpus(file);
      const stacked = await convert(bytes, {});
      const cutout = await convert(bytes, { stacking: 'cutout' });
      const { width: w, height: h } = cutout.meta;
      const shapes = svgShapes(cutout.svg);
      expect(shapes.length).toBeGreaterThan(1);
      // Each shape rendered alone: coverage adds up to at most one pixel (slack for antialiasing and
      // curve fitting near junctions: a quarter pixel).
      expect(overlaps(cutout.svg, w, h)).toBe(0);
      // The same check finds the overlaps of the stacked output: it can fail.
      expect(overlaps(stacked.svg, w, h)).toBeGreaterThan(0);
      // Seam fillers are strokes in the shapes' colours, all drawn before (under) every shape.
      const all = svgPaths(cutout.svg);
      const fillers = all.filter((p) => p.fill === 'none');
      expect(fillers.length).toBeGreaterThan(0);
      expect(all.slice(0, fillers.length)).toEqual(fillers);
      for (const f of fillers) expect(shapes.map((s) => s.fill)).toContain(f.stroke);
      // No seam: inside the picture, where stacked is opaque, cutout is too (shapes that only touch
      // would let the background through along every shared edge).
      expect(seamPixels(cutout.svg, stacked.svg, w, h)).toBeLessThan((w * h) / 1000);
      expect(Math.abs(cutout.meta.quality.ssim - stacked.meta.quality.ssim)).toBeLessThanOrEqual(0.01);
    });
});

/** Pixels opaque in `reference`'s render and translucent (alpha < 7/8) in `svg`'s. */
function seamPixels(svg: string, reference: string, w: number, h: number): number {
  const a = renderSvg(svg, w, h).data,
    b = renderSvg(reference, w, h).data;
  let n = 0;
  for (let i = 3; i < a.length; i += 4) if (b[i] === 255 && a[i] < 224) n++;
  return n;
}

/** Pixels covered more than once when every path of `svg` is rendered on its own. */
function overlaps(svg: string, w: number, h: number): number {
  const head = svg.slice(0, svg.indexOf('<path'));
  const tail = head.includes('<g') ? '</g></svg>' : '</svg>';
  const sum = new Uint16Array(w * h);
  for (const p of svgShapes(svg)) {
    const img = renderSvg(`${head}<path d="${p.d}"/>${tail}`, w, h);
    for (let i = 0; i < w * h; i++) sum[i] += img.data[i * 4 + 3];
  }
  return sum.filter((v) => v > 255 + 64).length;
}

describe('curves=polygon', () => {
  it('writes straight segments only, stacked and cutout', async () => {
    const smooth = await convert(PODMAN, {});
    expect(svgPaths(smooth.svg).some((p) => /[CcSsQqTtAa]/.test(p.d))).toBe(true);
    for (const stacking of ['stacked', 'cutout']) {
      const r = await convert(PODMAN, { curves: 'polygon', stacking });
      for (const p of svgPaths(r.svg)) for (const c of commands(p.d)) expect('MmLlHhVvZz').toContain(c);
      expect(r.meta.quality.ssim).toBeGreaterThan(smooth.meta.quality.ssim - 0.02);
    }
  });
});

describe('minArea', () => {
  it('drops every shape under the area (stacked and cutout)', async () => {
    const minArea = 300;
    const areas = (svg: string) => svgShapes(svg).flatMap((p) => subpaths(p.d, svg).map(polygonArea));
    // Without it this logo has smaller shapes, so the check below can fail.
    expect(Math.min(...areas((await convert(PODMAN, {})).svg))).toBeLessThan(minArea);
    for (const stacking of ['stacked', 'cutout']) {
      const r = await convert(PODMAN, { minArea, stacking });
      const small = areas(r.svg).filter((a) => a < minArea * 0.9);
      expect(small, stacking).toEqual([]);
    }
  });
});
