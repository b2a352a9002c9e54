import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { Converter, createConversionCache } from '@tracefleet/converter';
import { ConversionPool, DEFAULT_LIMITS, assertSafeSvg } from '@tracefleet/pipeline';
import { createRedisClient } from '@tracefleet/redis';
import { freePort, waitFor } from '@tracefleet/testing';
import { alive, startFleet, type Fleet } from '../helpers/fleet.js';
import { redisCli } from '../helpers/batch.js';
import { syntheticLogo } from '../helpers/synthetic.js';

/** A CACHE_DIR that cannot be created: its parent is a regular file (root ignores chmod). */
function unwritableDir(): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-unwritable-'));
  fs.writeFileSync(path.join(base, 'file'), 'not a directory');
  return path.join(base, 'file', 'cache');
}

const post = (fleet: Fleet, body: Buffer, q = '') =>
  fetch(`${fleet.baseUrl}/v1/convert${q}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(60_000),
  });

describe('cache tiers unavailable: conversions still succeed', () => {
  it('in-process: Redis cache tier, MongoDB and the disk tier all down', async () => {
    const deadPort = await freePort();
    const redis = createRedisClient({ mode: 'standalone', url: `redis://127.0.0.1:${deadPort}` }, 'cache');
    const errors: string[] = [];
    const cache = await createConversionCache({
      memoryMaxBytes: 1 << 20,
      cacheDir: unwritableDir(),
      redis,
      mongoUrl: `mongodb://127.0.0.1:${deadPort}/tf`,
      ttlSeconds: 60,
      onError: (tier, op) => errors.push(`${tier}:${op}`),
    });
    const pool = new ConversionPool({ threads: 1, timeoutMs: 30_000, limits: DEFAULT_LIMITS });
    try {
      const converter = new Converter(cache, pool);
      const bytes = await syntheticLogo(30_001);
      const first = await converter.convert(bytes, { mode: 'auto' });
      expect(first.cache).toBe('miss');
      assertSafeSvg(first.svg);
      // The memory tier still answers the repeat.
      const again = await converter.convert(bytes, { mode: 'auto' });
      expect(again.cache).toBe('hit-memory');
      expect(errors.some((e) => e.startsWith('mongo'))).toBe(true);
      expect(errors.some((e) => e.startsWith('redis') || e.startsWith('disk'))).toBe(true);
    } finally {
      await pool.close();
      await cache.close();
      redis.disconnect();
    }
  });

  describe('cross-process: workers with an unwritable CACHE_DIR and an unreachable MongoDB', () => {
    let fleet: Fleet;
    beforeAll(async () => {
      const dead = await freePort();
      fleet = await startFleet({
        workers: 1,
        env: { MONGO_URL: `mongodb://127.0.0.1:${dead}/tf` },
        workerEnv: { CACHE_DIR: unwritableDir() },
      });
    });
    afterAll(async () => {
      await fleet?.stop();
    });

    it('converts and answers repeats from the tiers that work', async () => {
      for (let i = 0; i < 3; i++) {
        const bytes = await syntheticLogo(30_100 + i);
        const res = await post(fleet, bytes);
        expect(res.status, await res.clone().text()).toBe(200);
        expect(res.headers.get('x-cache')).toBe('miss');
        assertSafeSvg(await res.text());
        const again = await post(fleet, bytes);
        expect(again.status).toBe(200);
        expect(again.headers.get('x-cache')).toMatch(/^hit-(memory|disk|redis)$/);
      }
      expect(alive(fleet.workers[0])).toBe(true);
    });
  });
});

describe('runaway conversion: per-job time limit, failed at once', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({
      workers: 1,
      env: { JOB_ATTEMPTS: '3', DEFAULT_WAIT_SECONDS: '0' },
      workerEnv: {
        // Enough for a cold thread to convert a small logo on a loaded machine: a TIMEOUT is final now.
        JOB_TIMEOUT_MS: '5000',
        MAX_TRACE_DIMENSION: '2000',
        // Out of the output budget's way, so the time limit is what stops this image.
        MAX_SVG_PATHS: '100000000',
        MAX_SVG_BYTES: '1000000000',
        WORKER_CONCURRENCY: '1',
        PIPELINE_THREADS: '1',
      },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('stops a pathological image at JOB_TIMEOUT_MS and fails it permanently with TIMEOUT (no retries)', async () => {
    // 2000×2000 black-and-white noise traced at full size: over a minute of potrace work (millions of
    // specks), far beyond 5 s even with a much faster pipeline. The limit leaves room for a cold
    // thread (a timed-out thread is replaced) to convert a small logo afterwards.
    const n = 2000;
    const noise = Buffer.alloc(n * n);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) noise[i] = ((x = (x * 1103515245 + 12345) >>> 0) >>> 31) * 255;
    const png = await sharp(noise, { raw: { width: n, height: n, channels: 1 } })
      .png({ palette: true, colours: 2 })
      .toBuffer();
    const res = await fetch(`${fleet.baseUrl}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(png),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const job = await waitFor(
      async () => {
        const j = await (await fetch(`${fleet.baseUrl}/v1/jobs/${id}`)).json();
        return j.state === 'failed' && j;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'job to fail' },
    );
    expect(job.error.code, job.error.message).toBe('TIMEOUT');
    expect(job.error.message).toMatch(/exceeded 5000 ms/);
    // The same image would run out of time again: one attempt despite JOB_ATTEMPTS 3.
    expect(Number(redisCli(fleet, 'hget', `tfe2e:convert:${id}`, 'atm'))).toBe(1);
    const svg = await fetch(`${fleet.baseUrl}/v1/jobs/${id}/svg`);
    expect(svg.status).toBe(504);
    // Submitting the same image again answers the permanent failure; it is not run a second time.
    const again = await fetch(`${fleet.baseUrl}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(png),
    });
    expect((await again.json()).id).toBe(id);
    const view = await (await fetch(`${fleet.baseUrl}/v1/jobs/${id}`)).json();
    expect([view.state, view.error?.code]).toEqual(['failed', 'TIMEOUT']);
    expect(Number(redisCli(fleet, 'hget', `tfe2e:convert:${id}`, 'atm'))).toBe(1);

    // The thread was terminated, not the worker: it still converts.
    expect(alive(fleet.workers[0])).toBe(true);
    const ok = await post(fleet, await syntheticLogo(30_200), '?wait=30');
    expect(ok.status).toBe(200);
  });
});
