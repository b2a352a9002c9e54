import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOfJobId } from '@tracefleet/contract';
import { startFleet, type Fleet } from '../helpers/fleet.js';
import { syntheticLogo } from '../helpers/synthetic.js';
import { convert, startApi, type ApiProc } from './processes.js';

/**
 * The API's memory tier with real processes and a real redis-server: it keeps the result of a job it
 * waited for, and a restarted API is warmed with the most requested entries before it says ready.
 */
describe('API memory tier: filled by jobs, warmed at start-up', () => {
  let fleet: Fleet;
  let b: ApiProc | undefined;
  const redisCli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(fleet.redis.port), ...args])
      .toString()
      .trim();

  beforeAll(async () => {
    fleet = await startFleet({ workers: 1 });
  });
  afterAll(async () => {
    await b?.stop();
    await fleet?.stop();
  });

  it('answers the request after a job it waited for from its memory tier', async () => {
    const img = await syntheticLogo(8101);
    expect((await convert(fleet.baseUrl, img)).cache).toBe('miss');
    expect((await convert(fleet.baseUrl, img)).cache).toBe('hit-memory');
  });

  it('a restarted API answers hot entries from memory as soon as it is ready', async () => {
    const hot = [await syntheticLogo(8201), await syntheticLogo(8202)];
    const cold = await syntheticLogo(8203);
    for (const img of [...hot, cold]) expect((await convert(fleet.baseUrl, img)).status).toBe(200);
    // B serves the hot ones a few times: its hit counters, flushed to Redis when it stops, make them popular.
    b = await startApi(fleet.env);
    const hotKeys: string[] = [];
    for (const img of hot) {
      expect((await convert(b.baseUrl, img)).cache).toBe('hit-redis');
      for (let i = 0; i < 3; i++) expect((await convert(b.baseUrl, img)).cache).toBe('hit-memory');
      hotKeys.push(keyOfJobId((await convert(b.baseUrl, img)).jobId!)!);
    }
    await b.stop();
    for (const key of hotKeys) expect(Number(redisCli('ZSCORE', 'tracefleet:cache:hits', key))).toBeGreaterThan(0);

    // A fresh process (empty memory, its own empty disk): only warming can put the hot entries in memory.
    b = await startApi(fleet.env);
    for (const img of hot) expect((await convert(b.baseUrl, img)).cache).toBe('hit-memory');
    expect((await convert(b.baseUrl, cold)).cache).toBe('hit-redis');
    expect(b.logs.join('')).not.toMatch(/warm/);
  });
});
