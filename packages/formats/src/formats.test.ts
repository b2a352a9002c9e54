import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import DxfParser from 'dxf-parser';
import { Resvg } from '@resvg/resvg-js';
import { compareImages, convertImage, type RgbaImage } from '@tracefleet/pipeline';
import { parseScene, renderFormat, representativeColor } from './index.js';

/**
 * Each format read back by a reader that is not ours — PDF by poppler's pdftoppm, EPS by Ghostscript,
 * DXF by dxf-parser, PNG by sharp — rasterised at the SVG's size and scored against resvg's render of
 * the SVG (colour SSIM, both flattened on white).
 */
const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');
const LIMITS = { maxInputPixels: 40_000_000, minDimension: 4, maxTraceDimension: 1024 };
/** Mono, colour with gradients, flag, small raster: every kind of the corpus, a few seconds in all. */
const SAMPLE = [
  'dev-si-1001tracklists.png',
  'dev-si-europeanunion.png',
  'dev-devicon-apache.png',
  'dev-devicon-vitejs.png',
  'dev-flag-us.png',
  'dev-flag-jm.png',
  'dev-crypto-0xbtc.png',
];
const MIN_SSIM = 0.98;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-formats-'));
const svgs = new Map<string, string>();

async function decodeTo(png: Buffer, width: number, height: number): Promise<RgbaImage> {
  const { data, info } = await sharp(png)
    .ensureAlpha()
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** resvg's render, decoded from its PNG (straight alpha, as every other reader here gives). */
async function rasterise(svg: string, width: number, height: number): Promise<RgbaImage> {
  return decodeTo(new Resvg(svg, { fitTo: { mode: 'width', value: width } }).render().asPng(), width, height);
}

function reference(svg: string): Promise<RgbaImage> {
  const { width, height } = parseScene(svg);
  return rasterise(svg, width, height);
}

async function viaPdftoppm(pdf: Buffer, width: number, height: number): Promise<RgbaImage> {
  const file = path.join(tmp, `${process.hrtime.bigint()}.pdf`);
  fs.writeFileSync(file, pdf);
  const png = execFileSync('pdftoppm', [
    '-png',
    '-singlefile',
    '-scale-to-x',
    String(width),
    '-scale-to-y',
    String(height),
    file,
  ]);
  return decodeTo(png, width, height);
}

async function viaGhostscript(eps: Buffer, width: number, height: number): Promise<RgbaImage> {
  const file = path.join(tmp, `${process.hrtime.bigint()}.eps`);
  fs.writeFileSync(file, eps);
  // 96 dpi maps one SVG px to one device pixel (the EPS is at 0.75 pt/px).
  const png = execFileSync('gs', [
    '-q',
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    '-dEPSCrop',
    '-sDEVICE=png16m',
    '-r96',
    '-dGraphicsAlphaBits=4',
    '-sOutputFile=-',
    file,
  ]);
  return decodeTo(png, width, height);
}

type ParsedDxf = {
  header: Record<string, unknown>;
  tables: { layer: { layers: Record<string, { color: number }> } };
  entities: Array<{
    type: string;
    layer: string;
    color?: number;
    shape?: boolean;
    vertices: Array<{ x: number; y: number }>;
  }>;
};

function parseDxf(dxf: Buffer): ParsedDxf {
  return new DxfParser().parseSync(dxf.toString('utf8')) as unknown as ParsedDxf;
}

/** The DXF's closed polylines filled in their layer's colour (runs of one layer = one even-odd shape). */
function dxfToSvg(d: ParsedDxf, width: number, height: number, unit = 1): string {
  const paths: string[] = [];
  let run: { layer: string; color: number; d: string } | undefined;
  const flush = () => {
    if (!run) return;
    const c = run.color;
    paths.push(`<path fill-rule="evenodd" fill="#${c.toString(16).padStart(6, '0')}" d="${run.d}"/>`);
  };
  for (const e of d.entities) {
    if (e.type !== 'LWPOLYLINE') continue;
    const ring = 'M' + e.vertices.map((v) => `${v.x / unit} ${height - v.y / unit}`).join('L') + 'Z';
    if (run?.layer === e.layer) run.d += ring;
    else {
      flush();
      run = { layer: e.layer, color: e.color ?? d.tables.layer.layers[e.layer].color, d: ring };
    }
  }
  flush();
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${paths.join('')}</svg>`;
}

beforeAll(async () => {
  for (const f of SAMPLE) {
    const r = await convertImage(fs.readFileSync(path.join(CORPUS, f)), { mode: 'auto' }, LIMITS);
    svgs.set(f, r.svg);
  }
});

describe('formats read back by independent readers', () => {
  it('PDF and EPS draw SVG constructs beyond the pipeline output (groups, shapes, bbox gradients, even-odd)', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="240" viewBox="0 0 100 60">' +
      '<defs><radialGradient id="r" cx="0.4" cy="0.4" r="0.6"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#0a66c2"/></radialGradient>' +
      '<linearGradient id="l0" gradientTransform="rotate(90)"><stop offset="0.2" stop-color="#e34f26"/><stop offset="0.8" stop-color="rgb(240, 200, 20)"/></linearGradient>' +
      '<linearGradient id="l" xlink:href="#l0"/></defs>' +
      '<rect width="100" height="60" fill="#eee"/>' +
      '<g transform="translate(5 5) scale(0.9)"><circle cx="25" cy="25" r="20" fill="url(#r)"/>' +
      '<path fill-rule="evenodd" fill="url(#l)" d="M55 5h40v40h-40zM65 15h20v20h-20z"/></g>' +
      '<ellipse cx="50" cy="52" rx="30" ry="5" style="fill:#333"/><polygon points="5,55 15,45 25,55" fill="green"/></svg>';
    const ref = await reference(svg);
    const pdf = await renderFormat(svg, 'pdf');
    expect(compareImages(ref, await viaPdftoppm(pdf.bytes, 400, 240)).ssim, 'pdf').toBeGreaterThanOrEqual(MIN_SSIM);
    const eps = await renderFormat(svg, 'eps');
    expect(compareImages(ref, await viaGhostscript(eps.bytes, 400, 240)).ssim, 'eps').toBeGreaterThanOrEqual(MIN_SSIM);
  });

  it('PDF (pdftoppm) matches the SVG render, with shadings for gradients', async () => {
    for (const [f, svg] of svgs) {
      const r = await renderFormat(svg, 'pdf');
      expect(r.contentType).toBe('application/pdf');
      expect(r.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const ref = await reference(svg);
      const q = compareImages(ref, await viaPdftoppm(r.bytes, ref.width, ref.height));
      expect(q.ssim, f).toBeGreaterThanOrEqual(MIN_SSIM);
      if (svg.includes('Gradient')) expect(r.bytes.toString('latin1')).toMatch(/\/ShadingType [23]/);
    }
  });

  it('EPS (Ghostscript) matches the SVG render, curves kept', async () => {
    for (const [f, svg] of svgs) {
      const r = await renderFormat(svg, 'eps');
      expect(r.contentType).toBe('application/postscript');
      const text = r.bytes.toString('latin1');
      expect(text).toMatch(/^%!PS-Adobe-3\.0 EPSF-3\.0\n/);
      const curves = parseScene(svg).shapes.some((sh) => sh.segments.some((g) => g.op === 'C'));
      expect(text.includes('curveto'), f).toBe(curves);
      const ref = await reference(svg);
      const q = compareImages(ref, await viaGhostscript(r.bytes, ref.width, ref.height));
      expect(q.ssim, f).toBeGreaterThanOrEqual(MIN_SSIM);
    }
  });

  it('DXF (dxf-parser) holds the outlines on a layer per colour', async () => {
    for (const [f, svg] of svgs) {
      const r = await renderFormat(svg, 'dxf');
      const d = parseDxf(r.bytes);
      const { width, height, shapes } = parseScene(svg);
      const layers = Object.keys(d.tables.layer.layers).filter((l) => l.startsWith('fill-'));
      expect(layers.length, f).toBe(new Set(shapes.map((s) => representativeColor(s.paint).join())).size);
      expect(
        d.entities.every((e) => e.type === 'LWPOLYLINE' && e.shape),
        f,
      ).toBe(true);
      // DXF has no gradients: a gradient fill becomes its layer's flat colour, so only flat logos are compared.
      if (svg.includes('Gradient')) continue;
      const q = compareImages(await reference(svg), await rasterise(dxfToSvg(d, width, height), width, height));
      expect(q.ssim, f).toBeGreaterThanOrEqual(MIN_SSIM);
    }
  });

  it("a cutout's seam fillers are drawn by PDF and EPS and left out of DXF", async () => {
    for (const f of ['dev-flag-jm.png', 'dev-crypto-iotx.png']) {
      const bytes = fs.readFileSync(path.join(CORPUS, f));
      const svg = (await convertImage(bytes, { mode: 'auto', stacking: 'cutout' }, LIMITS)).svg;
      const fillers = (svg.match(/fill="none"/g) ?? []).length;
      expect(fillers, f).toBeGreaterThan(0);
      const scene = parseScene(svg);
      expect(scene.shapes.filter((s) => s.stroke).length, f).toBe(fillers);
      // The same drawing without them shows the renderer's seams along every shared edge.
      const bare = svg.replace(/<path fill="none"[^>]*\/>/g, '');
      const { width, height } = scene;
      const ref = await reference(svg);
      for (const [format, read] of [
        ['pdf', viaPdftoppm],
        ['eps', viaGhostscript],
      ] as const) {
        const withFillers = compareImages(ref, await read((await renderFormat(svg, format)).bytes, width, height));
        const without = compareImages(ref, await read((await renderFormat(bare, format)).bytes, width, height));
        expect(withFillers.ssim, `${f} ${format}`).toBeGreaterThanOrEqual(MIN_SSIM);
        expect(withFillers.ssim, `${f} ${format}`).toBeGreaterThan(without.ssim);
      }
      const dxf = parseDxf((await renderFormat(svg, 'dxf')).bytes);
      expect(dxf.entities.length, f).toBe(parseDxf((await renderFormat(bare, 'dxf')).bytes).entities.length);
    }
  });

  it('DXF in mm scales by 25.4 / dpi and says so in $INSUNITS', async () => {
    const svg = svgs.get('dev-flag-us.png')!;
    const { width, height } = parseScene(svg);
    const px = parseDxf((await renderFormat(svg, 'dxf', { dxfUnits: 'px' })).bytes);
    const mm = parseDxf((await renderFormat(svg, 'dxf', { dxfUnits: 'mm', dpi: 300 })).bytes);
    expect(mm.header.$INSUNITS).toBe(4);
    expect(px.header.$INSUNITS).toBe(0);
    const k = 25.4 / 300;
    expect(mm.entities[0].vertices[0].x).toBeCloseTo(px.entities[0].vertices[0].x * k, 6);
    const q = compareImages(await reference(svg), await rasterise(dxfToSvg(mm, width, height, k), width, height));
    expect(q.ssim).toBeGreaterThanOrEqual(MIN_SSIM);
  });

  it('PNG (sharp) has `size` px on the long side and matches the SVG render', async () => {
    for (const [f, svg] of svgs) {
      const { width, height } = parseScene(svg);
      const own = await renderFormat(svg, 'png');
      expect(own.contentType).toBe('image/png');
      const meta = await sharp(own.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([width, height]);
      const q = compareImages(await reference(svg), await decodeTo(own.bytes, width, height));
      expect(q.ssim, f).toBeGreaterThanOrEqual(MIN_SSIM);
      const small = await sharp((await renderFormat(svg, 'png', { size: 64 })).bytes).metadata();
      expect(Math.max(small.width, small.height)).toBe(64);
    }
  });
});
