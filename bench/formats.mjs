// pnpm bench:formats [--filter=<substring>] [--runs=3] [--verify] [--compare [--skip-table]
//                    [--slow-every=3] [--budget-s=120]]
// Output formats on ../shared/corpus: every logo is traced once (not timed here: bench:quality does
// that), then its SVG is converted to each format; prints per format the median and p90 conversion
// time, median and total size, and the ratio of the median conversion time to the median tracing
// time (a format costs that fraction of a cold conversion).
//   --verify   reads every output back with an independent reader (pdftoppm, Ghostscript, dxf-parser,
//              sharp) and prints the colour SSIM against resvg's render of the SVG (slow: processes).
//   --compare  the library choices of packages/formats: two candidates each for the PDF writer, the
//              DXF writer and the SVG path parser, by validity and speed on the same SVGs. The slow
//              candidate (pdf-lib: 1.5–4× pdfkit's time at load 5, 15× at load 25) runs on one logo in
//              `--slow-every` (1 = all), and every candidate stops after `--budget-s` seconds; the
//              output states how many logos each measured and repeats the chosen library's figures
//              on the slow one's subset.
//   --skip-table  leaves out the conversion table (its PNG rows are most of a full run's time).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Resvg } from '@resvg/resvg-js';
import DxfParser from 'dxf-parser';
import { compareImages, convertImage } from '@tracefleet/pipeline';
import { flattenCubic, parseScene, renderDxf, renderPdf, representativeColor } from '@tracefleet/formats';
import { PDFDocument as PdfLibDocument, rgb as pdfLibRgb } from 'pdf-lib';
import DxfWriterDrawing from 'dxf-writer';
import svgpath from 'svgpath';
import { SVGPathData } from 'svg-pathdata';
import { args, corpus as CORPUS } from './lib/cli.mjs';
import {
  bestOf,
  FORMATS,
  fmt,
  formatLabel as label,
  markdownTable,
  measureFormats,
  median,
} from './lib/format-table.mjs';

const RUNS = Number(args.runs ?? 3);
const LIMITS = { maxInputPixels: 40_000_000, minDimension: 4, maxTraceDimension: 1024 };
const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8'));
const files = manifest.files.filter((f) => f.file.endsWith('.png') && (!args.filter || f.file.includes(args.filter)));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-formats-'));

const table = (head, rows) => console.log(markdownTable(head, rows));
const time = (fn) => bestOf(RUNS, fn);

// 1. Trace every logo once.
const logos = [];
for (const f of files) {
  const bytes = fs.readFileSync(path.join(CORPUS, f.file));
  const t = performance.now();
  const r = await convertImage(bytes, { mode: 'auto' }, LIMITS);
  logos.push({
    file: f.file,
    kind: f.kind,
    svg: r.svg,
    traceMs: performance.now() - t,
    gradients: r.meta.gradients > 0,
  });
}
const traceMedian = median(logos.map((l) => l.traceMs));
console.log(`${logos.length} logos traced (median ${traceMedian.toFixed(0)} ms each, cold, this process)\n`);

// 2. Every format of every logo.
let outputs = new Map();
if (!args['skip-table'] || args.verify) {
  const m = await measureFormats(logos, { runs: RUNS, traceMedian });
  outputs = m.outputs;
  console.log(`Conversion from the SVG (best of ${RUNS} runs per logo), size of the output:`);
  table(m.head, m.rows);
}

// Readers.
async function decode(png, width, height) {
  const { data, info } = await sharp(png)
    .ensureAlpha()
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}
const rasterise = (svg, w, h) => decode(new Resvg(svg, { fitTo: { mode: 'width', value: w } }).render().asPng(), w, h);
function viaProcess(cmd, argv, bytes, ext) {
  const file = path.join(tmp, `x.${ext}`);
  fs.writeFileSync(file, bytes);
  return execFileSync(cmd, [...argv, file], { maxBuffer: 1 << 28 });
}
const readers = {
  pdf: (b, w, h) =>
    decode(viaProcess('pdftoppm', ['-png', '-singlefile', '-scale-to-x', w, '-scale-to-y', h], b, 'pdf'), w, h),
  eps: (b, w, h) =>
    decode(
      viaProcess(
        'gs',
        [
          '-q',
          '-dSAFER',
          '-dBATCH',
          '-dNOPAUSE',
          '-dEPSCrop',
          '-sDEVICE=png16m',
          '-r96',
          '-dGraphicsAlphaBits=4',
          '-sOutputFile=-',
        ],
        b,
        'eps',
      ),
      w,
      h,
    ),
  dxf: (b, w, h) => rasterise(dxfToSvg(new DxfParser().parseSync(b.toString()), w, h), w, h),
  png: (b, w, h) => decode(b, w, h),
};
/** Closed polylines of a parsed DXF filled in their colour (a run of one layer = one even-odd shape). */
function dxfToSvg(d, width, height) {
  const paths = [];
  let run;
  const flush = () =>
    run && paths.push(`<path fill-rule="evenodd" fill="#${run.color.toString(16).padStart(6, '0')}" d="${run.d}"/>`);
  for (const e of d.entities) {
    if (e.type !== 'LWPOLYLINE') continue;
    const ring = 'M' + e.vertices.map((v) => `${v.x} ${height - v.y}`).join('L') + 'Z';
    if (run?.layer === e.layer) run.d += ring;
    else {
      flush();
      run = { layer: e.layer, color: e.color ?? d.tables.layer.layers[e.layer]?.color ?? 0, d: ring };
    }
  }
  flush();
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${paths.join('')}</svg>`;
}
async function readBack(format, bytes, logo) {
  const { width, height } = parseScene(logo.svg);
  try {
    return compareImages(await rasterise(logo.svg, width, height), await readers[format](bytes, width, height)).ssim;
  } catch {
    return undefined; // unreadable
  }
}

if (args.verify) {
  const vrows = [];
  for (const [f, o] of FORMATS) {
    if (f === 'svg' || (f === 'dxf' && o.dxfUnits) || (f === 'png' && o.size)) continue;
    const rs = outputs.get(label(f, o));
    const all = [];
    const flat = [];
    for (const r of rs) {
      const s = await readBack(f, r.bytes, r.logo);
      all.push(s ?? 0);
      if (!r.logo.gradients) flat.push(s ?? 0);
    }
    vrows.push([
      label(f, o),
      { pdf: 'pdftoppm', eps: 'gs', dxf: 'dxf-parser', png: 'sharp' }[f],
      all.filter((s) => s > 0).length + '/' + all.length,
      fmt(median(all), 4),
      fmt(Math.min(...all), 4),
      fmt(Math.min(...flat), 4),
      all.filter((s) => s >= 0.98).length,
    ]);
  }
  console.log(
    '\nRead back by an independent reader, colour SSIM vs the SVG render (all logos; "flat" = without gradients):',
  );
  table(['format', 'reader', 'readable', 'median SSIM', 'min SSIM', 'min SSIM flat', '≥ 0.98'], vrows);
}

if (args.compare) {
  // PDF writers: pdfkit (chosen) vs pdf-lib (no shadings: gradients fall back to a flat colour).
  async function pdfLib(scene) {
    const doc = await PdfLibDocument.create();
    const page = doc.addPage([scene.width * 0.75, scene.height * 0.75]);
    for (const s of scene.shapes) {
      const d = s.segments.map((g) => (g.op === 'Z' ? 'Z' : g.op + g.p.join(' '))).join('');
      const [r, g, b] = representativeColor(s.paint).map((c) => c / 255);
      const paint = s.stroke
        ? { borderColor: pdfLibRgb(r, g, b), borderWidth: s.stroke * 0.75, borderOpacity: s.opacity }
        : { color: pdfLibRgb(r, g, b), opacity: s.opacity };
      page.drawSvgPath(d, { x: 0, y: page.getHeight(), scale: 0.75, ...paint });
    }
    return Buffer.from(await doc.save({ useObjectStreams: false }));
  }
  // DXF writers: @tarikjabiri/dxf (chosen) vs dxf-writer, the same rings and layers.
  function dxfWriter(scene) {
    const d = new DxfWriterDrawing();
    d.setUnits('Unitless');
    const layers = new Set();
    for (const s of scene.shapes) {
      if (s.stroke) continue; // a cutout's seam filler: no outline to cut (as renderDxf)
      const c = representativeColor(s.paint);
      const name = 'fill-' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
      if (!layers.has(name)) {
        d.addLayer(name, DxfWriterDrawing.ACI.WHITE, 'CONTINUOUS');
        d.setActiveLayer(name);
        d.setTrueColor((c[0] << 16) | (c[1] << 8) | c[2]);
        layers.add(name);
      }
      d.setActiveLayer(name);
      let ring = [];
      const flush = () => {
        if (ring.length > 2)
          d.drawPolyline(
            ring.map(([x, y]) => [x, scene.height - y]),
            true,
          );
        ring = [];
      };
      for (const g of s.segments) {
        if (g.op === 'M') {
          flush();
          ring.push([g.p[0], g.p[1]]);
        } else if (g.op === 'L') ring.push([g.p[0], g.p[1]]);
        else if (g.op === 'C') flattenCubic(ring[ring.length - 1], g.p, 0.05, ring);
        else flush();
      }
      flush();
    }
    return Buffer.from(d.toDxfString());
  }
  const candidates = [
    ['pdf', 'pdfkit (chosen)', (scene) => renderPdf(scene)],
    ['pdf', 'pdf-lib', pdfLib],
    ['dxf', '@tarikjabiri/dxf (chosen)', (scene) => renderDxf(scene, { units: 'px', dpi: 96 })],
    ['dxf', 'dxf-writer', dxfWriter],
  ];
  const crow = [];
  const SLOW = new Set(['pdf-lib']);
  const every = Number(args['slow-every'] ?? 3);
  const budgetMs = Number(args['budget-s'] ?? 120) * 1000;
  const subset = logos.filter((_, i) => i % every === 0);
  const measure = async (format, name, write, set) => {
    const ms = [];
    const ssims = [];
    const flat = [];
    const start = performance.now();
    for (const logo of set) {
      if (performance.now() - start > budgetMs) break;
      const scene = parseScene(logo.svg);
      const t = await time(() => write(scene));
      ms.push(t.ms);
      const s = (await readBack(format, t.out, logo)) ?? 0;
      ssims.push(s);
      if (!logo.gradients) flat.push(s);
    }
    crow.push([
      format,
      name,
      ms.length + (ms.length < set.length ? ` of ${set.length} (budget)` : ''),
      fmt(median(ms), 2),
      fmt(median(ssims), 4),
      flat.length ? fmt(Math.min(...flat), 4) : '—',
      fmt(Math.min(...ssims), 4),
      ssims.filter((s) => s >= 0.98).length + '/' + ssims.length,
    ]);
    process.stderr.write(`\r${name}: ${ms.length} logos      `);
  };
  for (const [format, name, write] of candidates) {
    if (SLOW.has(name) && every > 1) {
      // The chosen library of the same format on the same subset, for a like-for-like ratio.
      const [, chosen, writeChosen] = candidates.find(([f, n]) => f === format && n.includes('chosen'));
      await measure(format, `${chosen.replace(' (chosen)', '')}, subset`, writeChosen, subset);
      await measure(format, `${name}, subset`, write, subset);
    } else await measure(format, name, write, logos);
  }
  process.stderr.write('\n');
  // SVG path parsers: svgpath (chosen) vs svg-pathdata, to absolute M/L/C/Z with arcs as cubics.
  const ds = logos.flatMap((l) => [...l.svg.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]));
  const viaSvgpath = (d) => {
    let n = 0;
    svgpath(d)
      .abs()
      .unarc()
      .unshort()
      .iterate(() => void n++);
    return n;
  };
  const viaPathData = (d) =>
    new SVGPathData(d).toAbs().normalizeHVZ(false).normalizeST().qtToC().aToC().commands.length;
  for (const [name, parse] of [
    ['svgpath (chosen)', viaSvgpath],
    ['svg-pathdata', viaPathData],
  ]) {
    const t = await time(() => ds.reduce((a, d) => a + parse(d), 0));
    crow.push(['path', name, logos.length, fmt(t.ms / logos.length, 3), '—', '—', '—', `${t.out} commands`]);
  }
  console.log(
    `\nLibrary candidates (median ms per logo, best of ${RUNS}; SSIM read back as above; ${every > 1 ? `"subset" = one logo in ${every}, ${subset.length} of ${logos.length}; ` : ''}path parsers: all paths of the logos, ms per logo):`,
  );
  table(['format', 'library', 'logos', 'median ms', 'median SSIM', 'min SSIM flat', 'min SSIM', '≥ 0.98'], crow);
}
fs.rmSync(tmp, { recursive: true, force: true });
