import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tracefleet/testing';
import { alive, startFleet, type Fleet } from '../helpers/fleet.js';
import { batchStatus, counterSum, submitBatch, waitBatch } from '../helpers/batch.js';
import { syntheticLogo } from '../helpers/synthetic.js';

const liveOf = async (port: number) => {
  const r = await fetch(`http://127.0.0.1:${port}/live`, { signal: AbortSignal.timeout(10_000) });
  return { status: r.status, body: await r.json() };
};

/**
 * Redis (AOF, appendfsync everysec, noeviction: see startRedis) restarted in the middle of a batch:
 * the API answers 503 at once while it is down, every accepted job completes afterwards, and both
 * workers consume again without being restarted (the silent "stopped consuming" failure would show
 * as a worker whose conversion counter no longer moves and whose /live fails).
 */
describe('Redis restart mid-batch', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({
      workers: 2,
      env: { MAX_BATCH_SIZE: '500', DEFAULT_WAIT_SECONDS: '0' },
      workerEnv: { WORKER_CONCURRENCY: '4', PIPELINE_THREADS: '1', WORKER_LIVENESS_SECONDS: '5' },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('503 while down, every accepted job completes, workers reconnect and keep consuming', async () => {
    const pids = fleet.workers.map((w) => w.child.pid);
    const images = await Promise.all(Array.from({ length: 200 }, (_, i) => syntheticLogo(20_000 + i, 96)));
    const res = await submitBatch(fleet, images);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(async () => ((await batchStatus(fleet, id)).counts.completed ?? 0) >= 20, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: '20 jobs done',
    });

    await fleet.redis.stop();
    const t = performance.now();
    const down = await fetch(`${fleet.baseUrl}/v1/convert`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(await syntheticLogo(29_999)),
    });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBeTruthy();
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    expect((await fetch(`${fleet.baseUrl}/v1/batches/${id}`)).status).toBe(503);
    expect((await submitBatch(fleet, [await syntheticLogo(29_998)])).status).toBe(503);
    expect(performance.now() - t).toBeLessThan(10_000);
    // Liveness does not fail for Redis trouble (restarting the worker would not help); readiness does.
    for (const w of fleet.workers) {
      expect((await liveOf(w.port)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${w.port}/ready`, { signal: AbortSignal.timeout(10_000) })).status).toBe(
        503,
      );
    }
    await new Promise((r) => setTimeout(r, 2000));
    await fleet.redis.start();

    const before = await Promise.all(fleet.workers.map((w) => counterSum(w.port, 'tracefleet_conversions_total')));
    const done = await waitBatch(fleet, id, 120_000);
    expect(done.counts).toEqual({ completed: 200 });

    // Both workers took new jobs after the restart: submit more and watch each one's counter move.
    const more = await Promise.all(Array.from({ length: 60 }, (_, i) => syntheticLogo(21_000 + i, 96)));
    const res2 = await submitBatch(fleet, more);
    expect(res2.status).toBe(202);
    const done2 = await waitBatch(fleet, ((await res2.json()) as { id: string }).id, 120_000);
    expect(done2.counts).toEqual({ completed: 60 });
    const after = await Promise.all(fleet.workers.map((w) => counterSum(w.port, 'tracefleet_conversions_total')));
    for (let i = 0; i < fleet.workers.length; i++)
      expect(after[i], `worker ${i} consumed after the restart`).toBeGreaterThan(before[i]);

    for (const w of fleet.workers) {
      expect(alive(w)).toBe(true);
      const live = await liveOf(w.port);
      expect(live.status, JSON.stringify(live.body)).toBe(200);
      expect((await fetch(`http://127.0.0.1:${w.port}/ready`)).status).toBe(200);
    }
    expect(fleet.workers.map((w) => w.child.pid)).toEqual(pids);
    console.log(
      `redis restart: conversions per worker before/after the second batch ${before.join('/')} → ${after.join('/')}`,
    );
  });
});
