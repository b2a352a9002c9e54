import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, assertSafeSvg } from '@tracefleet/pipeline';
import { waitFor } from '@tracefleet/testing';
// The same generators as `node bench/hostile.mjs`, which measures what each input costs.
import { animatedWebp, bigLogos, manyScanJpeg, noisePng, tallPng } from '../../bench/lib/hostile.mjs';
import { CORPUS } from '../helpers/corpus.js';
import { alive, startFleet, type Fleet } from '../helpers/fleet.js';
import { redisCli } from '../helpers/batch.js';

/**
 * Issue 11's hostile set against a real worker process at default limits (only JOB_TIMEOUT_MS is
 * small): each input ends in a bounded SVG or a typed refusal / permanently failed job within the
 * time limit plus SLACK_S, the worker's RSS stays under RSS_BOUND, its CPU is back to idle
 * within 5 s of the job's end (nothing outlives a job), and a normal logo converts right after.
 */
const JOB_TIMEOUT_MS = 15_000;
/** Documented bound of a worker's RSS at default limits (docs/operations.md). */
const RSS_BOUND = 1024 * 1024 * 1024;
const CLK_TCK = 100;

/** utime + stime of a process, every thread included (libvips' own threads too), in seconds. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for process ${pid} (exited?)`);
  return Number(m[1]);
}

/**
 * Slack over JOB_TIMEOUT_MS from upload to the job's end: upload, queue hops, and the start of the
 * pool's replacement thread after a TIMEOUT, which the next job's limit rightly does not count.
 */
const SLACK_S = 8;

const TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
/** Typed outcomes a hostile input may end in (besides a bounded SVG). */
const TYPED = ['IMAGE_TOO_COMPLEX', 'IMAGE_TOO_LARGE', 'INVALID_IMAGE', 'TIMEOUT', 'UNTRACEABLE'];

describe('hostile inputs: bounded cost, work that really stops, permanent failures', () => {
  let fleet: Fleet;
  let pid: number;
  const inputs: Array<{ name: string; type: keyof typeof TYPES; bytes: () => Promise<Buffer> | Buffer }> = [];

  beforeAll(async () => {
    fleet = await startFleet({
      workers: 1,
      env: { DEFAULT_WAIT_SECONDS: '0' },
      workerEnv: { JOB_TIMEOUT_MS: String(JOB_TIMEOUT_MS), WORKER_CONCURRENCY: '1', PIPELINE_THREADS: '1' },
    });
    pid = fleet.workers[0].child.pid!;
    let big: ReturnType<typeof bigLogos> | undefined;
    const logos = () => (big ??= bigLogos(6000));
    inputs.push(
      { name: 'progressive JPEG, 150,000 scans', type: 'jpeg', bytes: () => manyScanJpeg(150_000) },
      { name: `4×10,000,000 PNG (MAX_INPUT_PIXELS)`, type: 'png', bytes: () => tallPng(4, 10_000_000) },
      { name: '3000² noise PNG', type: 'png', bytes: () => noisePng(3000) },
      { name: '6000² PNG', type: 'png', bytes: async () => (await logos()).png },
      { name: '6000² WebP', type: 'webp', bytes: async () => (await logos()).webp },
      { name: '6000² JPEG', type: 'jpeg', bytes: async () => (await logos()).jpeg },
      { name: 'animated WebP, 2000 frames of 4000²', type: 'webp', bytes: () => animatedWebp(2000, 4000) },
    );
    expect(4 * 10_000_000).toBe(DEFAULT_LIMITS.maxInputPixels);
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('ends every hostile input in a bounded SVG or a typed permanent failure, and the worker recovers', async () => {
    const report: string[] = [];
    for (const input of inputs) {
      const bytes = await input.bytes();
      let peakRss = statusKb(pid, 'VmRSS') * 1024;
      const sampler = setInterval(() => {
        if (alive(fleet.workers[0])) peakRss = Math.max(peakRss, statusKb(pid, 'VmRSS') * 1024);
      }, 50);
      const t0 = performance.now();
      let outcome = '';
      try {
        const res = await fetch(`${fleet.baseUrl}/v1/jobs`, {
          method: 'POST',
          headers: { 'content-type': TYPES[input.type] },
          body: new Uint8Array(bytes),
        });
        if (res.status !== 202) {
          // Refused by the API's header checks: a typed 4xx, nothing queued.
          const body = (await res.json()) as any;
          expect(res.status, input.name).toBe(422);
          expect(TYPED, input.name).toContain(body.error.code);
          outcome = `${res.status} ${body.error.code}`;
        } else {
          const { id } = (await res.json()) as { id: string };
          const job = await waitFor(
            async () => {
              const j = (await (await fetch(`${fleet.baseUrl}/v1/jobs/${id}`)).json()) as any;
              return (j.state === 'completed' || j.state === 'failed') && j;
            },
            { timeoutMs: JOB_TIMEOUT_MS + 30_000, intervalMs: 100, what: `${input.name} to finish` },
          );
          const seconds = (performance.now() - t0) / 1000;
          expect(seconds, input.name).toBeLessThan(JOB_TIMEOUT_MS / 1000 + SLACK_S);
          if (job.state === 'failed') {
            expect(TYPED, `${input.name}: ${job.error.message}`).toContain(job.error.code);
            // Deterministic: one attempt, no retries of a cost that would be the same again.
            expect(Number(redisCli(fleet, 'hget', `tfe2e:convert:${id}`, 'atm')), input.name).toBe(1);
            outcome = `failed ${job.error.code}`;
          } else {
            const svg = await (await fetch(`${fleet.baseUrl}/v1/jobs/${id}/svg`)).text();
            assertSafeSvg(svg);
            expect(Buffer.byteLength(svg), input.name).toBeLessThanOrEqual(DEFAULT_LIMITS.maxSvgBytes);
            outcome = `svg ${Buffer.byteLength(svg)} B`;
          }
        }
      } finally {
        clearInterval(sampler);
      }
      const ended = performance.now();
      // Back to idle within 5 s: some half-second window uses under 10 % of one core.
      let idleAfter = -1;
      let before = cpuSeconds(pid);
      const windows: string[] = [];
      while (performance.now() - ended < 5000) {
        await new Promise((r) => setTimeout(r, 500));
        const now = cpuSeconds(pid);
        windows.push((now - before).toFixed(2));
        if (now - before < 0.05) {
          idleAfter = (performance.now() - ended) / 1000;
          break;
        }
        before = now;
      }
      expect(
        idleAfter,
        `${input.name} (${outcome}): worker CPU still busy 5 s after the job (CPU s per 0.5 s: ${windows})`,
      ).toBeGreaterThanOrEqual(0);
      expect(peakRss, input.name).toBeLessThan(RSS_BOUND);
      report.push(
        `${input.name}: ${outcome} in ${((ended - t0) / 1000).toFixed(1)} s, RSS ≤ ${Math.round(peakRss / 2 ** 20)} MB, idle after ${idleAfter.toFixed(1)} s`,
      );
      expect(alive(fleet.workers[0])).toBe(true);
    }
    expect(statusKb(pid, 'VmHWM') * 1024).toBeLessThan(RSS_BOUND);
    console.log(report.join('\n'));

    // A normal logo right after, converted as usual.
    const logo = fs.readFileSync(path.join(CORPUS, 'dev-crypto-atlas.png'));
    const ok = await fetch(`${fleet.baseUrl}/v1/convert?wait=30`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(logo),
    });
    expect(ok.status).toBe(200);
    assertSafeSvg(await ok.text());
  });
});
