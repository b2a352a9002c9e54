import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeSvg } from '@tracefleet/pipeline';
import { redisCli, startRedis, type RedisServer } from '@tracefleet/testing';
import { startFleetOn, type FleetProcesses } from '../helpers/fleet.js';
import { convertUntilDone } from '../helpers/retrying-client.js';
import { syntheticLogo } from '../helpers/synthetic.js';

/**
 * The cache tier on a Redis of its own (CACHE_REDIS_URL), as an operator runs it: an allkeys-lru
 * cache beside a noeviction queue. Cache keys land only in the cache Redis, jobs only in the queue
 * Redis, and with the cache Redis stopped conversions still succeed.
 */
describe('separate cache Redis', () => {
  let queueRedis: RedisServer;
  let cacheRedis: RedisServer;
  let fleet: FleetProcesses;
  const keys = async (server: RedisServer, pattern: string) =>
    (await redisCli(server.port, '--scan', '--pattern', pattern)).split('\n').filter(Boolean);

  beforeAll(async () => {
    queueRedis = await startRedis();
    cacheRedis = await startRedis();
    await redisCli(cacheRedis.port, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    fleet = await startFleetOn(
      { REDIS_URL: queueRedis.url, CACHE_REDIS_URL: cacheRedis.url },
      { workers: 1, env: { QUEUE_PREFIX: 'tfsplit' } },
    );
  });
  afterAll(async () => {
    await fleet?.stop();
    await Promise.all([queueRedis?.stop(), cacheRedis?.stop()]);
  });

  it('keeps cache keys in the cache Redis and jobs in the queue Redis', async () => {
    for (let i = 0; i < 3; i++)
      assertSafeSvg((await convertUntilDone(fleet.baseUrl, await syntheticLogo(70_000 + i, 32))).svg);
    expect((await keys(cacheRedis, 'tfsplit:cache:v*')).length).toBeGreaterThanOrEqual(3);
    expect(await keys(cacheRedis, 'tfsplit:convert:*')).toEqual([]);
    expect(await keys(cacheRedis, 'tfsplit:mon:*')).toEqual([]);
    expect((await keys(queueRedis, 'tfsplit:convert:*')).length).toBeGreaterThan(0);
    expect(await keys(queueRedis, 'tfsplit:cache:*')).toEqual([]);
  });

  it('converts with the cache Redis stopped', async () => {
    await cacheRedis.stop();
    for (let i = 0; i < 3; i++) {
      const r = await convertUntilDone(fleet.baseUrl, await syntheticLogo(71_000 + i, 32));
      assertSafeSvg(r.svg);
      // The queue was never unavailable: no 503 on the way.
      expect(r.statuses).not.toContain(503);
    }
    const ready = await fetch(`${fleet.baseUrl}/ready`);
    expect(ready.status).toBe(200);
  });
});
