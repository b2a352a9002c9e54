import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tracefleet/testing';
import { alive, startFleet, type Fleet } from '../helpers/fleet.js';
import { batchStatus, redisCli, scanKeys, submitBatch, waitBatch } from '../helpers/batch.js';
import { syntheticLogo } from '../helpers/synthetic.js';

/**
 * Worker faults with real processes and a real Redis: kill -9 mid-batch (stalled-job recovery) and
 * SIGTERM (graceful drain). Stalled-job timings are shortened here so recovery takes seconds; the
 * production defaults and their trade-off are in docs/operations.md.
 */
describe('worker faults', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({
      workers: 2,
      env: { MAX_BATCH_SIZE: '500', DEFAULT_WAIT_SECONDS: '0' },
      workerEnv: {
        WORKER_CONCURRENCY: '8',
        PIPELINE_THREADS: '1',
        WORKER_LOCK_DURATION_MS: '4000',
        WORKER_STALLED_INTERVAL_MS: '2000',
        SHUTDOWN_GRACE_MS: '20000',
      },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('kill -9 of one of two workers mid-batch: all 500 jobs complete, one cache entry each, none stuck active', async () => {
    const images = await Promise.all(Array.from({ length: 500 }, (_, i) => syntheticLogo(i)));
    // Workers start on the first jobs while the API is still taking the upload: with fast conversions
    // most of the batch was done by the time its 202 came back. So the kill is timed from Redis
    // (BullMQ's completed set, read every 20 ms) while the submission is still in flight.
    const submitted = submitBatch(fleet, images);
    const prefix = 'tfe2e:convert';
    const completed = () => Number(redisCli(fleet, 'zcard', `${prefix}:completed`));
    await waitFor(() => completed() >= 40, { timeoutMs: 60_000, intervalMs: 20, what: '40 jobs done' });
    const victim = fleet.workers[0];
    victim.child.kill('SIGKILL');
    await victim.exited;
    const atKill = { completed: completed() };
    expect(atKill.completed).toBeLessThan(450);

    const res = await submitted;
    expect(res.status).toBe(202);
    const { id, jobs } = (await res.json()) as { id: string; jobs: Array<{ id: string }> };
    expect(new Set(jobs.map((j) => j.id)).size).toBe(500);

    const done = await waitBatch(fleet, id, 120_000);
    // The reasons first: a count alone says nothing about why a job failed.
    expect(done.jobs.filter((j) => j.state !== 'completed').map((j) => ({ state: j.state, error: j.error }))).toEqual(
      [],
    );
    expect(done.counts).toEqual({ completed: 500 });
    expect(alive(fleet.workers[1])).toBe(true);

    // Nothing left active or waiting; nothing failed.
    expect(Number(redisCli(fleet, 'llen', `${prefix}:active`))).toBe(0);
    expect(Number(redisCli(fleet, 'llen', `${prefix}:wait`))).toBe(0);
    expect(Number(redisCli(fleet, 'zcard', `${prefix}:failed`))).toBe(0);
    // Exactly one result per job in the shared cache tier (content-keyed: a re-run job rewrites its own key).
    // The cache prefix follows QUEUE_PREFIX (CACHE_PREFIX unset): `tfe2e:cache`.
    const keys = scanKeys(fleet, 'tfe2e:cache:v*:r:*');
    const jobKeys = new Set(jobs.map((j) => j.id.replaceAll('-', ':')));
    expect(keys.length).toBe(500);
    for (const k of keys) expect(jobKeys.has(k.slice('tfe2e:cache:'.length))).toBe(true);
    // The victim's in-flight jobs really went through stalled-job recovery (BullMQ's `stc` counter).
    const stalled = Number(
      redisCli(
        fleet,
        'eval',
        "local n=0 for _,k in ipairs(redis.call('keys',ARGV[1])) do local v=redis.call('hget',k,'stc') if v and tonumber(v)>0 then n=n+1 end end return n",
        '0',
        `${prefix}:v*`,
      ),
    );
    expect(stalled).toBeGreaterThan(0);
    console.log(`kill -9 at ${atKill.completed} of 500 done; ${stalled} stalled jobs recovered; all 500 completed`);
  });

  it('SIGTERM: the worker stops taking jobs, finishes the ones in flight and exits 0', async () => {
    // Bigger images so jobs stay in flight long enough to be caught mid-way.
    const images = await Promise.all(Array.from({ length: 80 }, (_, i) => syntheticLogo(10_000 + i, 320)));
    const res = await submitBatch(fleet, images);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const worker = fleet.workers[1];
    await waitFor(
      async () => {
        const live = await (await fetch(`http://127.0.0.1:${worker.port}/live`)).json();
        return live.inFlight > 0 && ((await batchStatus(fleet, id)).counts.completed ?? 0) >= 2;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'jobs in flight' },
    );
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);

    // What it had started, it finished: no job is left active (abandoned jobs would stay active until
    // the stalled check), and the rest still waits for another worker.
    const after = (await batchStatus(fleet, id)).counts;
    expect(after.active ?? 0).toBe(0);
    expect(after.waiting ?? 0).toBeGreaterThan(0);
    expect(after.completed ?? 0).toBeGreaterThan(0);
    expect(worker.logs.join('')).not.toMatch(/grace period over/);

    await fleet.startWorker({ WORKER_CONCURRENCY: '8', PIPELINE_THREADS: '2' });
    const done = await waitBatch(fleet, id, 120_000);
    expect(done.counts).toEqual({ completed: 80 });
    console.log(`SIGTERM with jobs in flight: ${after.completed} done, ${after.waiting} left waiting, exit 0`);
  });
});
