import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeSvg } from '@tracefleet/pipeline';
import { redisCli, startRedisCluster, waitFor, type RedisCluster } from '@tracefleet/testing';
import { TOKEN, admin, pipelineRuns as runsOn, startApi, type ApiProc } from '../cache/processes.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { startFleetOn, type FleetProcesses } from '../helpers/fleet.js';
import { convertUntilDone } from '../helpers/retrying-client.js';
import { syntheticLogo } from '../helpers/synthetic.js';

const KEY = 'ci-cluster-key-0123456789';
const LIMITED = 'ci-limited-key-0123456789';
const PREFIX = '{tfcluster}';
/** Derived from the queue prefix without its braces: cache entries spread over the shards. */
const CACHE_PREFIX = 'tfcluster:cache';

/**
 * A Redis Cluster of three masters (created with `redis-cli --cluster create`) and a fleet
 * configured by REDIS_CLUSTER_NODES alone: conversions, coalescing, a second API answering from the
 * Redis tier, purges across shards, rate limits and the dashboard's data.
 */
describe('Redis Cluster: the fleet on three masters', () => {
  let cluster: RedisCluster;
  let fleet: FleetProcesses;
  let second: ApiProc;
  let env: Record<string, string>;

  const convert = async (baseUrl: string, bytes: Buffer, key = KEY) => {
    const res = await fetch(`${baseUrl}/v1/convert`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-api-key': key },
      body: new Uint8Array(bytes),
      signal: AbortSignal.timeout(60_000),
    });
    return {
      status: res.status,
      cache: res.headers.get('x-cache'),
      jobId: res.headers.get('x-job-id'),
      body: await res.text(),
    };
  };
  /** Keys matching `pattern` on each master. */
  const keysPerNode = (pattern: string) =>
    Promise.all(
      cluster.nodes.map(async (n) =>
        (await redisCli(n.port, '--scan', '--pattern', pattern)).split('\n').filter(Boolean),
      ),
    );
  const pipelineRuns = () => runsOn(fleet.workers);

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    env = {
      REDIS_CLUSTER_NODES: cluster.nodeList,
      QUEUE_PREFIX: PREFIX,
      ADMIN_TOKEN: TOKEN,
      API_KEYS: `ci:${KEY},limited:${LIMITED}:3`,
      RATE_LIMIT_MAX: '1000',
    };
    fleet = await startFleetOn(env, { workers: 2, env });
    second = await startApi({ ...env, LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await second?.stop();
    await fleet?.stop();
    await cluster?.stop();
  });

  it('refuses at start-up a queue prefix without a {hash tag}', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'apps/api/dist/main.js')], {
      env: { ...process.env, REDIS_CLUSTER_NODES: cluster.nodeList, QUEUE_PREFIX: 'tfcluster', PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/QUEUE_PREFIX must contain a \{hash tag\}/);
  });

  it('converts, and the cache entries spread over the shards', async () => {
    const images = await Promise.all(Array.from({ length: 12 }, (_, i) => syntheticLogo(60_000 + i, 32)));
    const answers = await Promise.all(
      images.map((img) => convertUntilDone(fleet.baseUrl, img, { headers: { 'x-api-key': KEY } })),
    );
    for (const a of answers) assertSafeSvg(a.svg);
    const entries = await keysPerNode(`${CACHE_PREFIX}:v*`);
    expect(entries.flat().length).toBeGreaterThanOrEqual(12);
    expect(entries.filter((k) => k.length > 0).length, 'shards holding cache entries').toBeGreaterThanOrEqual(2);
    // The queue's keys share one slot, so they sit on one master.
    const queueKeys = await keysPerNode(`${PREFIX}:convert:*`);
    expect(queueKeys.filter((k) => k.length > 0).length).toBe(1);
  });

  it('coalesces 50 identical concurrent requests into one job and one pipeline run', async () => {
    const runs = await pipelineRuns();
    const img = await syntheticLogo(61_000, 32);
    const answers = await Promise.all(Array.from({ length: 50 }, () => convert(fleet.baseUrl, img)));
    for (const a of answers) expect(a.status, a.body.slice(0, 200)).toBe(200);
    // With API keys every request gets its own tenant id; underneath they share one job.
    expect(answers.every((a) => a.jobId?.startsWith('t-'))).toBe(true);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect((await pipelineRuns()) - runs).toBe(1);
  });

  it('a second API with empty memory and disk answers from the Redis tier', async () => {
    const img = await syntheticLogo(62_000, 32);
    expect((await convert(fleet.baseUrl, img)).cache).toBe('miss');
    const b = await convert(second.baseUrl, img);
    expect(b.status).toBe(200);
    expect(b.cache).toBe('hit-redis');
  });

  it('purges by image hash and everything, across shards', async () => {
    const img = await syntheticLogo(63_000, 32);
    const first = await convert(fleet.baseUrl, img);
    expect(first.status).toBe(200);
    const imageHash = createHash('sha256').update(img).digest('hex');
    const ofImage = (await keysPerNode(`${CACHE_PREFIX}:v*${imageHash}*`)).flat();
    expect(ofImage.length).toBeGreaterThanOrEqual(1);
    const byHash = await admin(fleet.baseUrl, 'POST', '/admin/cache/purge', { imageHash });
    expect(byHash.status).toBe(200);
    expect(byHash.json.purged.redis).toBe(ofImage.length);
    expect((await keysPerNode(`${CACHE_PREFIX}:v*${imageHash}*`)).flat()).toEqual([]);
    // The other API dropped it from its own tiers too (broadcast over cluster pub/sub): it runs again.
    await waitFor(async () => (await convert(second.baseUrl, img)).cache === 'miss', {
      timeoutMs: 30_000,
      what: 'a miss after the purge',
    });

    const before = (await keysPerNode(`${CACHE_PREFIX}:v*`)).flat().length;
    expect(before).toBeGreaterThan(10);
    const all = await admin(fleet.baseUrl, 'POST', '/admin/cache/purge', { all: true });
    expect(all.status).toBe(200);
    // Entries plus their indexes and hit counters.
    expect(all.json.purged.redis).toBeGreaterThanOrEqual(before);
    expect((await keysPerNode(`${CACHE_PREFIX}:*`)).flat()).toEqual([]);
  });

  it('rate-limits per API key', async () => {
    const img = await syntheticLogo(64_000, 32);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await convert(fleet.baseUrl, img, LIMITED)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Counted in the cluster: the second API sees the same count.
    expect((await convert(second.baseUrl, img, LIMITED)).status).toBe(429);
    expect((await keysPerNode(`${PREFIX}:ratelimit:*`)).flat().length).toBeGreaterThan(0);
  });

  it('feeds the dashboard and answers /ready from ROLE on every master', async () => {
    const data = await waitFor(
      async () => {
        const res = await admin(fleet.baseUrl, 'GET', '/admin/api/dashboard?minutes=10');
        // Worker and API buckets are flushed on their own timers: wait for both.
        return res.status === 200 && res.json.totals.jobsOk > 0 && res.json.totals.requests > 0 ? res.json : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'dashboard totals' },
    );
    expect(data.totals.requests).toBeGreaterThan(0);
    const ready = await (await fetch(`${fleet.baseUrl}/ready`)).json();
    expect(ready.redis).toBe(true);
    expect(Object.values(ready.redisNodes)).toEqual(['master', 'master', 'master']);
  });
});
