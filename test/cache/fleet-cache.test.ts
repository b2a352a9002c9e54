import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tracefleet/testing';
import { startFleet, type Fleet } from '../helpers/fleet.js';
import { syntheticLogo } from '../helpers/synthetic.js';
import { TOKEN, admin, convert, pipelineRuns as runsOn, startApi, type ApiProc } from './processes.js';

/**
 * The cache across processes, with a real redis-server: two API processes and two workers.
 * Coalescing, purge broadcast, and a Redis outage with the circuit closing again afterwards.
 */
describe('multi-level cache across processes', () => {
  let fleet: Fleet;
  let b: ApiProc;
  const extra: ApiProc[] = [];
  const redisCli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(fleet.redis.port), ...args])
      .toString()
      .trim();
  const pipelineRuns = () => runsOn(fleet.workers);

  beforeAll(async () => {
    fleet = await startFleet({ workers: 2, env: { ADMIN_TOKEN: TOKEN } });
    b = await startApi(fleet.env);
  });
  afterAll(async () => {
    for (const p of [b, ...extra]) await p?.stop();
    await fleet?.stop();
  });

  it('answers 50 concurrent identical requests, spread over two APIs, from exactly one job and one pipeline run', async () => {
    const img = await syntheticLogo(7001);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => convert(i % 2 ? b.baseUrl : fleet.baseUrl, img)),
    );
    for (const a of answers) expect(a.status, a.body.slice(0, 200)).toBe(200);
    expect(new Set(answers.map((a) => a.jobId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(redisCli('ZCARD', 'tfe2e:convert:completed')).toBe('1');
    expect(await pipelineRuns()).toBe(1);
  });

  it('guards the admin routes and validates purge requests', async () => {
    const noToken = await fetch(`${fleet.baseUrl}/admin/cache/stats`);
    expect(noToken.status).toBe(401);
    expect((await noToken.json()).error.code).toBe('UNAUTHORIZED');
    expect((await admin(fleet.baseUrl, 'POST', '/admin/cache/purge', { imageHash: 'nope' })).status).toBe(400);
    expect((await admin(fleet.baseUrl, 'POST', '/admin/cache/purge', { key: 'a', logoType: 'b' })).status).toBe(400);
    const stats = await admin(fleet.baseUrl, 'GET', '/admin/cache/stats');
    expect(stats.status).toBe(200);
    expect(Object.keys(stats.json.tiers)).toEqual(['memory', 'disk', 'redis']);
    expect(stats.json.tiers.redis).toMatchObject({ state: 'closed' });
    expect(stats.json.tiers.redis.misses).toBeGreaterThan(0);
    expect(stats.json.tiers.redis.latency.count).toBeGreaterThan(0);
    // Eviction broadcast counters (CACHE_EVICTION_BROADCAST defaults to shared): disk and Redis, not memory.
    expect(stats.json.tiers.memory).toMatchObject({ remoteEvictions: expect.any(Number) });
    expect(stats.json.tiers.memory.evictionsBroadcast).toBeUndefined();
    expect(stats.json.tiers.disk).toMatchObject({ evictionsBroadcast: expect.any(Number) });
    expect(stats.json.tiers.redis).toMatchObject({ evictionsBroadcast: expect.any(Number) });
  });

  it('a purge in one API drops the entry from every tier of every process: the next request runs the pipeline again', async () => {
    const img = await syntheticLogo(7002);
    expect((await convert(fleet.baseUrl, img)).cache).toBe('miss');
    expect((await convert(b.baseUrl, img)).cache).toBe('hit-redis');
    await waitFor(async () => (await convert(b.baseUrl, img)).cache === 'hit-memory', {
      what: 'promotion into B memory',
    });
    const runs = await pipelineRuns();
    const jobId = (await convert(b.baseUrl, img)).jobId!;
    const imageHash = jobId.split('-')[2];
    const diskFile = (dir: string) => {
      const h = createHash('sha256').update(jobId.replaceAll('-', ':')).digest('hex');
      return path.join(dir, h.slice(0, 2), h);
    };
    await waitFor(() => fs.existsSync(diskFile(b.cacheDir)), { what: 'promotion into B disk' });

    // B's memory also holds the result of the job it waited for in the first test: only this image goes.
    const bMemory = async () => (await admin(b.baseUrl, 'GET', '/admin/cache/stats')).json.tiers.memory.entries;
    const before = await bMemory();
    const purge = await admin(fleet.baseUrl, 'POST', '/admin/cache/purge', { imageHash });
    expect(purge.status).toBe(200);
    expect(purge.json.purged.redis).toBeGreaterThanOrEqual(1);
    // B's memory, the worker's memory and disk, and Redis no longer have it: a fresh trace.
    await waitFor(async () => (await bMemory()) === before - 1 && !fs.existsSync(diskFile(b.cacheDir)), {
      what: 'purge seen by B',
    });
    const again = await convert(b.baseUrl, img);
    expect(again.status).toBe(200);
    expect(again.cache).toBe('miss');
    expect(await pipelineRuns()).toBe(runs + 1);
    // B waited for that job and kept its result in its own tiers.
    expect((await convert(b.baseUrl, img)).cache).toBe('hit-memory');
  });

  it('keeps answering from memory and disk while Redis is down, and closes the circuit when Redis is back', async () => {
    const cached = await syntheticLogo(7003);
    expect((await convert(b.baseUrl, cached)).status).toBe(200);
    expect((await convert(b.baseUrl, cached)).cache).toBe('hit-memory');
    const files = () =>
      fs.readdirSync(b.cacheDir, { recursive: true }).filter((f) => /[0-9a-f]{64}$/.test(String(f))).length;
    await waitFor(
      () =>
        files() >= 1 &&
        files() ===
          fs.readdirSync(b.cacheDir, { recursive: true }).filter((f) => /[0-9a-f]{64}$/.test(String(f))).length,
      { what: 'promotion into B disk' },
    );

    await fleet.redis.stop();
    expect((await convert(b.baseUrl, cached)).cache).toBe('hit-memory');
    // A process that starts during the outage has an empty memory tier: its disk answers.
    const c = await startApi(fleet.env, { cacheDir: b.cacheDir, waitReady: false });
    extra.push(c);
    const fromDisk = await convert(c.baseUrl, cached);
    expect(fromDisk.status).toBe(200);
    expect(fromDisk.cache).toBe('hit-disk');

    const fresh = await syntheticLogo(7004);
    for (let i = 0; i < 4; i++) expect((await convert(fleet.baseUrl, fresh)).status).toBe(503);
    const during = (await admin(fleet.baseUrl, 'GET', '/admin/cache/stats')).json.tiers.redis;
    expect(during.state).not.toBe('closed');
    expect(during.errors).toBeGreaterThanOrEqual(3);

    await fleet.redis.start();
    await waitFor(async () => (await convert(fleet.baseUrl, fresh)).status === 200, {
      timeoutMs: 40_000,
      intervalMs: 500,
      what: 'conversions after Redis is back',
    });
    // After the cooldown a lookup tries Redis again and the circuit closes.
    await waitFor(
      async () =>
        (await convert(fleet.baseUrl, await syntheticLogo(7100 + Math.floor(Math.random() * 500)))).status === 200 &&
        (await admin(fleet.baseUrl, 'GET', '/admin/cache/stats')).json.tiers.redis.state === 'closed',
      { timeoutMs: 30_000, intervalMs: 500, what: 'redis circuit closed' },
    );
    expect((await convert(fleet.baseUrl, fresh)).cache).toMatch(/^hit-(memory|redis)$/);
  });
});
