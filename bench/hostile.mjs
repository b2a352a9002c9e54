#!/usr/bin/env node
// Cost of the hostile set of issue 11, each conversion in a fresh process (a ConversionPool with one
// thread, as a worker runs it, warmed up on a corpus logo first): wall time, CPU seconds of the
// process during the job and in the 5 s after it ended (work that outlived its job), peak RSS, and
// the SVG bytes or the error code.
//
//   node bench/hostile.mjs [--timeout-ms 20000] [--only jpeg-scans,tall-png] [--pipeline path/to/dist/index.js]
//
// --pipeline measures another build (e.g. main's) with the same inputs: before → after.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { animatedWebp, bigLogos, manyScanJpeg, noisePng, tallPng } from './lib/hostile.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const here = path.dirname(fileURLToPath(import.meta.url));
const pipelineFile = path.resolve(opt('pipeline', path.join(here, '../packages/pipeline/dist/index.js')));
const timeoutMs = Number(opt('timeout-ms', '20000'));
const AFTER_MS = 5000;
const WARMUP = path.join(here, '../../shared/corpus/dev-crypto-atlas.png');

if (args[0] === '--child') {
  const { ConversionPool, DEFAULT_LIMITS } = await import(pathToFileURL(pipelineFile).href);
  const pool = new ConversionPool({ threads: 1, timeoutMs, limits: DEFAULT_LIMITS });
  await pool.convert(fs.readFileSync(WARMUP), { mode: 'auto' }).catch(() => undefined); // thread up, modules loaded
  const bytes = fs.readFileSync(args[1]);
  process.stdout.write('start\n');
  const t0 = performance.now();
  const out = await pool.convert(bytes, { mode: 'auto' }).then(
    (r) => ({ ok: true, bytes: r.meta.bytes, paths: r.meta.paths }),
    (e) => ({ ok: false, code: e.code, message: String(e.message).slice(0, 120) }),
  );
  process.stdout.write(`end ${JSON.stringify({ ...out, ms: Math.round(performance.now() - t0) })}\n`);
  // Stay alive (the pool too) while the parent watches for work that outlived the job.
  setTimeout(() => process.exit(0), AFTER_MS + 2000);
} else {
  const CLK_TCK = 100;
  /** utime + stime of the whole process (all threads, libvips' included), in seconds. */
  const cpuSeconds = (pid) => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  };
  const peakRssMb = (pid) => {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Math.round(Number(m?.[1] ?? 0) / 1024);
  };
  let bigOnce;
  const big = () => (bigOnce ??= bigLogos());
  const inputs = {
    'jpeg-scans': () => manyScanJpeg(150_000),
    'tall-png': () => tallPng(4, 10_000_000),
    'noise-png': () => noisePng(3000),
    'big-png': async () => (await big()).png,
    'big-webp': async () => (await big()).webp,
    'big-jpeg': async () => (await big()).jpeg,
    'anim-webp': () => animatedWebp(2000, 4000),
  };
  const only = opt('only', '').split(',').filter(Boolean);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-hostile-'));
  console.log(`pipeline ${pipelineFile}, timeout ${timeoutMs} ms`);
  console.log('input        file KB  wall s  CPU s (job)  CPU s (5 s after)  peak RSS MB  result');
  for (const [name, make] of Object.entries(inputs)) {
    if (only.length && !only.includes(name)) continue;
    const file = path.join(dir, name);
    const bytes = await make();
    fs.writeFileSync(file, bytes);
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', file, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const row = await new Promise((resolve) => {
      let cpu0 = 0;
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line === 'start') cpu0 = cpuSeconds(child.pid);
          else if (line.startsWith('end ')) {
            const out = JSON.parse(line.slice(4));
            const cpu1 = cpuSeconds(child.pid);
            setTimeout(() => {
              const cpu2 = cpuSeconds(child.pid);
              const rss = peakRssMb(child.pid);
              child.kill('SIGKILL');
              resolve({ out, job: cpu1 - cpu0, after: cpu2 - cpu1, rss });
            }, AFTER_MS);
          }
        }
      });
    });
    const { out, job, after, rss } = row;
    const result = out.ok ? `svg ${out.bytes} B, ${out.paths} paths` : `${out.code}: ${out.message}`;
    console.log(
      [
        name.padEnd(12),
        String(Math.round(bytes.length / 1024)).padStart(7),
        (out.ms / 1000).toFixed(1).padStart(7),
        job.toFixed(1).padStart(12),
        after.toFixed(1).padStart(18),
        String(rss).padStart(12),
        ' ' + result,
      ].join(' '),
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
