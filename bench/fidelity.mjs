// pnpm bench:fidelity [--filter=<substring>] [--kinds=clean,small,jpeg60,jpeg35,scan] [--limit=N]
//                     [--contestants=tracefleet,vtracer,imagetracer,potrace-wasm] [--json=<file>]
//                     [--peers-from=<json of an earlier run>]
// (BENCH_LIMIT=N in the environment is the same as --limit=N)
// Fidelity against the source vector (../shared/README.md): every corpus logo is degraded from its
// ground-truth SVG (bench/lib/degrade.mjs), traced by tracefleet and the peers in one run, and each
// SVG is scored against the source SVG rendered at 1024 px on white (bench/lib/fidelity-score.mjs).
// The degraded raster itself, upscaled with lanczos3, is the reference a vectoriser must beat.
// Prints per degradation: median and p10 colour SSIM, bad-pixel share, bytes, paths, time and the
// count of lost logos (a result that kept under half the source's ink, or scores no better than a
// blank picture), then the targets of issue 11.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PIPELINE_VERSION } from '@tracefleet/pipeline';
import { DEGRADATIONS, LABELS, degrade } from './lib/degrade.mjs';
import { inkShare, reference, scorePixels, scoreSvg } from './lib/fidelity-score.mjs';
import { PEERS } from './lib/peers.mjs';
import { startContestant } from './lib/contestants.mjs';
import { args, corpus as CORPUS } from './lib/cli.mjs';

const REF = 'raster'; // the degraded raster upscaled (lanczos3): not a contestant, the bar to clear
const kinds = args.kinds ? String(args.kinds).split(',') : DEGRADATIONS;
const names = args.contestants
  ? String(args.contestants).split(',')
  : ['tracefleet', 'vtracer', 'imagetracer', 'potrace-wasm'];
// --peers-from: the scored rows of contestants not run now come from an earlier run's --json (same
// logos and kinds): the peers do not change between pipeline iterations, only their time would.
const earlier = args['peers-from'] ? JSON.parse(fs.readFileSync(String(args['peers-from']), 'utf8')).results : [];
const reused = [...new Set(earlier.map((r) => r.name))].filter((n) => !names.includes(n) && n !== REF && PEERS[n]);
const running = [...names];
names.push(...reused);
const labelOf = (n) =>
  n === 'tracefleet' ? '**tracefleet**' : n === REF ? 'raster upscaled (lanczos3)' : PEERS[n].label;

const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8'));
let files = manifest.files.filter((f) => !args.filter || f.file.includes(args.filter));
// --limit=N or BENCH_LIMIT=N: an even subset of about N logos for quick iterations.
const limit = Number(args.limit ?? process.env.BENCH_LIMIT ?? 0);
if (limit) files = files.filter((_, i) => i % Math.ceil(files.length / limit) === 0);
const sourceOf = (f) => fs.readFileSync(path.join(CORPUS, f.file.replace(/\.png$/, '.svg')), 'utf8');

async function decodeInput(bytes) {
  const { data, info } = await sharp(bytes)
    .rotate()
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { bytes, width: info.width, height: info.height, data: new Uint8Array(data) };
}

// Inputs: every logo × degradation, encoded as a user would upload it.
const inputs = []; // {file, kind, input}
for (const f of files) {
  const svg = sourceOf(f);
  for (const kind of kinds)
    inputs.push({ file: f.file, kind, input: await decodeInput(await degrade(svg, kind, f.file)) });
  process.stderr.write(`\rdegrading ${inputs.length}/${files.length * kinds.length}   `);
}

const contestants = [];
for (const name of running) {
  const c = await startContestant(name);
  for (let k = 0; k < 5; k++) await c.run(inputs[k % inputs.length].input);
  contestants.push([name, c]);
}

// Timing pass: contestants interleaved per input, order rotating (machine noise hits all alike).
const results = [];
for (const [i, item] of inputs.entries()) {
  for (let j = 0; j < contestants.length; j++) {
    const [name, c] = contestants[(i + j) % contestants.length];
    const out = await c.run(item.input);
    const row = { name, file: item.file, kind: item.kind, ok: out.ok };
    if (out.ok)
      Object.assign(row, {
        svg: out.svg,
        ms: out.ms,
        bytes: Buffer.byteLength(out.svg),
        paths: (out.svg.match(/<path/g) ?? []).length,
      });
    else row.error = out.error;
    results.push(row);
  }
  process.stderr.write(`\rtracing ${i + 1}/${inputs.length}   `);
}
await Promise.all(contestants.map(([, c]) => c.stop()));

// Scoring pass: one reference render per logo.
let done = 0;
for (const f of files) {
  const ref = reference(sourceOf(f));
  const refInk = inkShare(ref);
  const blank = scorePixels(ref, new Uint8Array(ref.width * ref.height * 4)).ssim;
  for (const item of inputs.filter((x) => x.file === f.file)) {
    const up = await sharp(item.input.bytes)
      .resize(ref.width, ref.height, { kernel: 'lanczos3', fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .ensureAlpha()
      .raw()
      .toBuffer();
    results.push({
      name: REF,
      file: f.file,
      kind: item.kind,
      ok: true,
      ...scorePixels(ref, new Uint8Array(up)),
      lost: false,
    });
  }
  for (const row of results.filter((r) => r.file === f.file && r.name !== REF && r.svg !== undefined)) {
    Object.assign(row, scoreSvg(ref, row.svg));
    row.lost = row.inkShare < 0.5 * refInk || row.ssim < blank + 0.02;
    delete row.svg;
    process.stderr.write(`\rscoring ${++done}   `);
  }
}
process.stderr.write('\n');
const wanted = new Set(inputs.map((x) => `${x.file}|${x.kind}`));
results.push(...earlier.filter((r) => reused.includes(r.name) && wanted.has(`${r.file}|${r.kind}`)));

const med = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))] : NaN);
const f = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '–');
function summary(name, kind) {
  const rows = results.filter((r) => r.name === name && r.kind === kind);
  const ok = rows.filter((r) => r.ok);
  return {
    n: rows.length,
    fail: rows.length - ok.length,
    lost: ok.filter((r) => r.lost).length,
    ssim: med(ok.map((r) => r.ssim)),
    p10: pct(
      ok.map((r) => r.ssim),
      0.1,
    ),
    bad: med(ok.map((r) => r.badPixelShare)),
    kb: med(ok.filter((r) => r.bytes !== undefined).map((r) => r.bytes)) / 1024,
    paths: med(ok.filter((r) => r.paths !== undefined).map((r) => r.paths)),
    ms: med(ok.filter((r) => r.ms !== undefined).map((r) => r.ms)),
  };
}

const lines = [];
const print = (s = '') => {
  lines.push(s);
  console.log(s);
};
print(
  `## tracefleet fidelity benchmark — pipeline v${PIPELINE_VERSION}, ${files.length} logos × ${kinds.length} inputs, scored against the source SVG at 1024 px, ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, Node ${process.versions.node}`,
);
print();
print('| input | contestant | n | fail | lost | colour SSIM med | p10 | bad px | KB | paths | ms |');
print('|---|---|---|---|---|---|---|---|---|---|---|');
for (const kind of kinds) {
  for (const name of [...names, REF]) {
    const s = summary(name, kind);
    if (!s.n) continue;
    const noTrace = name === REF;
    print(
      `| ${LABELS[kind]} | ${labelOf(name)} | ${s.n} | ${s.fail} | ${noTrace ? '' : s.lost} | ${f(s.ssim, 4)} | ${f(s.p10, 4)} | ${f(s.bad * 100, 2)}% | ${noTrace ? '' : f(s.kb, 1)} | ${noTrace ? '' : f(s.paths, 0)} | ${noTrace ? '' : f(s.ms, 1)} |`,
    );
  }
}

print();
print('### targets (issue 11)');
const check = (ok, text) => print(`- ${ok ? 'met' : 'MISSED'}: ${text}`);
if (names.includes('tracefleet')) {
  for (const kind of kinds) {
    const t = summary('tracefleet', kind);
    const beaten = [...names.filter((n) => n !== 'tracefleet'), REF]
      .map((n) => [n, summary(n, kind)])
      .filter(([, s]) => s.n && s.ssim >= t.ssim);
    if (kind !== 'clean') check(t.ssim >= 0.97, `${kind}: median SSIM vs source ${f(t.ssim, 4)} ≥ 0.97`);
    check(
      !beaten.length,
      `${kind}: tracefleet ${f(t.ssim, 4)} above every peer and the upscaled raster${beaten.length ? ` (not above ${beaten.map(([n, s]) => `${n} ${f(s.ssim, 4)}`).join(', ')})` : ''}`,
    );
  }
  const tfRows = results.filter((r) => r.name === 'tracefleet' && r.ok);
  const lost = tfRows.filter((r) => r.lost);
  check(
    lost.length === 0,
    `blank or lost-logo results: ${lost.length}${
      lost.length
        ? ` (${lost
            .slice(0, 8)
            .map((r) => `${r.file} ${r.kind}`)
            .join(', ')})`
        : ''
    }`,
  );
  const failed = results.filter((r) => r.name === 'tracefleet' && !r.ok);
  check(
    failed.length === 0,
    `failed conversions: ${failed.length}${
      failed.length
        ? ` (${failed
            .slice(0, 5)
            .map((r) => `${r.file} ${r.kind}: ${r.error}`)
            .join('; ')})`
        : ''
    }`,
  );
  if (names.includes('vtracer')) {
    const kb = (n) =>
      med(
        results.filter((r) => r.name === n && r.ok && r.bytes !== undefined && r.kind !== 'clean').map((r) => r.bytes),
      ) / 1024;
    check(
      kb('tracefleet') <= kb('vtracer'),
      `median bytes on degraded inputs ${f(kb('tracefleet'), 2)} KB ≤ VTracer ${f(kb('vtracer'), 2)} KB`,
    );
  }
  const worst = [...tfRows].sort((a, b) => a.ssim - b.ssim).slice(0, 8);
  print(`- worst tracefleet: ${worst.map((r) => `${r.file} ${r.kind} ${f(r.ssim, 3)}`).join(', ')}`);
}

if (args.json) fs.writeFileSync(args.json, JSON.stringify({ lines, results }, null, 1));
