// pnpm bench:cutout [--filter=<substring>] [--kind=raster] [--curves=polygon] [--out=<dir>]
// stacking=cutout against stacked on ../shared/corpus, per logo (issue 14: "the composite scores
// within 0.01 of stacked"): the pipeline's own score of each result (against the input). Prints the
// logos sorted by Δ, the count beyond −0.01, and per kind the median byte ratio and the seam fillers'
// share of the cutout SVG's bytes. --out writes both SVGs of every logo.
import fs from 'node:fs';
import path from 'node:path';
import { convertImage, DEFAULT_LIMITS, normalizeOptions } from '@tracefleet/pipeline';
import { args, corpus } from './lib/cli.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
const files = manifest.files.filter(
  (f) => (!args.filter || f.file.includes(args.filter)) && (!args.kind || f.kind === args.kind),
);
const base = args.curves ? { curves: args.curves } : {};
const rows = [];
for (const f of files) {
  const bytes = fs.readFileSync(path.join(corpus, f.file));
  const stacked = await convertImage(bytes, normalizeOptions(base), DEFAULT_LIMITS);
  const cutout = await convertImage(bytes, normalizeOptions({ ...base, stacking: 'cutout' }), DEFAULT_LIMITS);
  const fillers = (cutout.svg.match(/<path fill="none"[^>]*>/g) ?? []).join('').length;
  rows.push({
    file: f.file,
    kind: f.kind,
    size: Math.max(f.width, f.height),
    s: stacked.meta.quality.ssim,
    c: cutout.meta.quality.ssim,
    ratio: cutout.svg.length / stacked.svg.length,
    fillerShare: fillers / cutout.svg.length,
  });
  if (args.out) {
    fs.mkdirSync(args.out, { recursive: true });
    const stem = path.join(args.out, f.file.replace(/\.png$/, ''));
    fs.writeFileSync(`${stem}.stacked.svg`, stacked.svg);
    fs.writeFileSync(`${stem}.cutout.svg`, cutout.svg);
  }
  process.stderr.write(`\r${rows.length}/${files.length}      `);
}
process.stderr.write('\n');
for (const r of rows) r.d = r.c - r.s;
rows.sort((a, b) => a.d - b.d);
const f4 = (x) => x.toFixed(4);
console.log('| logo | kind | px | stacked | cutout | Δ |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.file} | ${r.kind} | ${r.size} | ${f4(r.s)} | ${f4(r.c)} | ${f4(r.d)} |`);
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log();
for (const kind of ['mono', 'colour', 'flag', 'raster']) {
  const rs = rows.filter((r) => r.kind === kind);
  if (rs.length)
    console.log(
      `${kind}: worst Δ ${f4(Math.min(...rs.map((r) => r.d)))}, bytes cutout/stacked median ${med(rs.map((r) => r.ratio)).toFixed(2)}, seam fillers ${(med(rs.map((r) => r.fillerShare)) * 100).toFixed(0)} % of the cutout bytes`,
    );
}
console.log(
  `${rows.filter((r) => r.d < -0.01).length}/${rows.length} logos more than 0.01 below stacked; worst ${f4(Math.min(...rows.map((r) => r.d)))}`,
);
