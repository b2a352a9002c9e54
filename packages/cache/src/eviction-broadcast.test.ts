import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedis, waitFor, type RedisServer } from '@tracefleet/testing';
import { CacheBus, type CacheEvent } from './bus.js';
import { DiskTier } from './disk-tier.js';
import { announces, type EvictionBroadcastMode } from './eviction-broadcast.js';
import { KeyBatch } from './key-batch.js';
import { KeyEventsConfigError, mergeKeyEventFlags } from './keyspace-events.js';
import { LayeredCache, type LayeredCacheOptions } from './layered-cache.js';
import { MemoryTier } from './memory-tier.js';
import { RedisTier } from './redis-tier.js';
import { entryOf } from './entry.js';
import type { CacheTier } from './tier.js';

let server: RedisServer;
const clients: Redis[] = [];
const caches: LayeredCache[] = [];
const client = (url = server.url) => {
  const c = new Redis(url);
  clients.push(c);
  return c;
};
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tf-evict-'));
const key = (n: number) => `v1:r:${n.toString(16).padStart(64, '0')}:auto.8`;
const diskFile = (dir: string, k: string) => {
  const h = createHash('sha256').update(k).digest('hex');
  return path.join(dir, h.slice(0, 2), h);
};
let seq = 0;

/** One "process": its own memory tier, optionally a disk tier, the shared Redis tier and its own bus connection. */
function proc(
  opts: { mode: EvictionBroadcastMode; scope: string; memoryBytes?: number; disk?: DiskTier; redisUrl?: string } & Pick<
    LayeredCacheOptions,
    'tierTtlSeconds' | 'onWarning'
  >,
) {
  const memory = new MemoryTier({ maxBytes: opts.memoryBytes ?? 1 << 20, adaptive: false });
  const bus = new CacheBus(client(opts.redisUrl), `${opts.scope}:events`);
  const lower: CacheTier[] = [
    ...(opts.disk ? [opts.disk] : []),
    new RedisTier(client(opts.redisUrl), `${opts.scope}:cache:`),
  ];
  const publish = vi.spyOn(bus, 'publish');
  const cache = new LayeredCache(
    { memory, lower },
    {
      bus,
      evictionBroadcast: opts.mode,
      hitFlushMs: 0,
      ttlSeconds: 3600,
      tierTtlSeconds: opts.tierTtlSeconds,
      onWarning: opts.onWarning,
    },
  );
  caches.push(cache);
  const evictPublishes = () => publish.mock.calls.filter(([ev]) => ev.op === 'evict').length;
  return { cache, memory, bus, evictPublishes };
}
type Proc = ReturnType<typeof proc>;

/** Two processes on one channel, both subscribed (to the channel and Redis's key events). */
async function pair(
  mode: EvictionBroadcastMode,
  a: Omit<Parameters<typeof proc>[0], 'mode' | 'scope'> = {},
  b: Omit<Parameters<typeof proc>[0], 'mode' | 'scope'> = {},
) {
  const scope = `ev${++seq}`;
  const pa = proc({ mode, scope, ...a });
  const pb = proc({ mode, scope, ...b });
  await Promise.all([pa.bus.ready, pb.bus.ready]);
  return { a: pa, b: pb, scope };
}

/** B holds `k` in memory, read through from Redis as another process would. */
async function promoteInto(p: Proc, k: string) {
  expect((await p.cache.get(k))?.tier).toBe('redis');
  await waitFor(() => p.cache.peek(k), { what: `${k} promoted into memory` });
}

/** Makes `k` A's least recently used disk file, then writes five entries (keys from `first`) past the cap. */
async function pushOutOfDisk(a: Proc, disk: DiskTier, dir: string, k: string, value: Buffer, first: number) {
  const old = new Date(Date.now() - 3600_000);
  fs.utimesSync(diskFile(dir, k), old, old);
  for (let i = 0; i < 5; i++) {
    await a.cache.set(key(first + i), value, {});
    await disk.idle();
  }
}

/**
 * Everything A published before this point has reached B: a delete of a marker published after it
 * (pub/sub keeps order) is seen by B. Lets a test assert that something did not arrive, without sleeping.
 */
async function drained(scope: string, b: Proc) {
  await b.memory.set('marker', entryOf(Buffer.from('m')));
  const other = new CacheBus(client(), `${scope}:events`);
  await other.publish({ op: 'delete', key: 'marker' });
  await waitFor(() => !b.cache.peek('marker'), { what: 'marker delete seen' });
  await other.close();
}

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  for (const c of caches) await c.close();
  for (const c of clients) c.disconnect();
  await server?.stop();
});

describe('eviction broadcast rule and batching', () => {
  it('announces disk evictions unless off, memory LRU evictions only in mode all, never a memory TTL expiry', () => {
    expect(announces('shared', 'disk', 'size')).toBe(true);
    expect(announces('shared', 'disk', 'expired')).toBe(true);
    expect(announces('shared', 'memory', 'size')).toBe(false);
    expect(announces('all', 'memory', 'size')).toBe(true);
    expect(announces('all', 'memory', 'expired')).toBe(false);
    expect(announces('off', 'disk', 'size')).toBe(false);
    expect(announces('all', 'redis', 'size')).toBe(false); // Redis announces its own
  });

  it('sends a batch when full or when the window ends, each key once', async () => {
    const sent: string[][] = [];
    const batch = new KeyBatch<number>((b) => void sent.push([...b.keys()]), { windowMs: 20, maxItems: 500 });
    for (let i = 0; i < 1200; i++) batch.add(`k${i}`, i);
    batch.add('k1199', 0);
    expect(sent.map((s) => s.length)).toEqual([500, 500]);
    await waitFor(() => sent.length === 3, { what: 'window flush' });
    expect(sent[2].length).toBe(200);
    await batch.close();
    batch.add('late', 0);
    await batch.flush();
    expect(sent.length).toBe(3);
  });

  it('adds the keyspace flags to what is already set', () => {
    expect(mergeKeyEventFlags('')).toBe('Exe');
    expect(mergeKeyEventFlags('Kg')).toBe('KgExe');
    expect(mergeKeyEventFlags('AKE')).toBeUndefined();
    expect(mergeKeyEventFlags('xE')).toBe('xEe');
    expect(mergeKeyEventFlags('Exe')).toBeUndefined();
  });
});

describe('eviction broadcast between processes (real Redis)', () => {
  it('shared: a disk size-cap eviction in A drops the key from A and B memory', async () => {
    const dir = tmp();
    const aDisk = new DiskTier(dir, { maxBytes: 100_000, codec: 'raw', touchIntervalMs: 0 });
    const { a, b } = await pair('shared', { disk: aDisk });
    const value = Buffer.alloc(20_000, 7);
    const k = key(1);
    await a.cache.set(k, value, {});
    await aDisk.idle();
    await promoteInto(b, k);
    await pushOutOfDisk(a, aDisk, dir, k, value, 100);
    expect(fs.existsSync(diskFile(dir, k))).toBe(false);
    await waitFor(() => !b.cache.peek(k), { timeoutMs: 5000, what: 'B drops the disk-evicted key' });
    expect(a.cache.peek(k)).toBeUndefined();
    await waitFor(() => a.cache.stats().disk.evictionsBroadcast! >= 1, { what: 'counted once published' });
    expect(b.cache.stats().memory.remoteEvictions).toBe(1);
    expect(a.evictPublishes()).toBeGreaterThanOrEqual(1);
  });

  it('shared: an expired disk file removed in A drops the key from B memory', async () => {
    const aDisk = new DiskTier(tmp());
    const { a, b } = await pair('shared', { disk: aDisk, tierTtlSeconds: { disk: 0.05 } });
    const k = key(6);
    await a.cache.set(k, Buffer.from('<svg/>'), {});
    await promoteInto(b, k);
    await waitFor(async () => !(await aDisk.get(k)), { what: 'disk entry expired' });
    await waitFor(() => !b.cache.peek(k), { timeoutMs: 5000, what: 'B drops the expired key' });
    expect(b.cache.stats().memory.remoteEvictions).toBe(1);
  });

  it('shared: a Redis TTL expiry drops the key from both memories (keyspace notifications turned on)', async () => {
    const ttl = { tierTtlSeconds: { redis: 1 } };
    const { a, b } = await pair('shared', ttl, ttl);
    const flags = ((await client().config('GET', 'notify-keyspace-events')) as string[])[1];
    for (const f of ['E', 'x', 'e']) expect(flags).toContain(f);
    const k = key(2);
    await a.cache.set(k, Buffer.from('<svg/>'), { logoType: 'mono' });
    await promoteInto(b, k);
    expect(a.cache.peek(k)).toBeDefined();
    await waitFor(() => !a.cache.peek(k) && !b.cache.peek(k), {
      timeoutMs: 5000,
      what: 'both memories drop the expired key',
    });
    for (const p of [a, b]) {
      expect(p.cache.stats().redis.evictionsBroadcast).toBe(1); // the logo-type index expiring is not a cache entry
      expect(p.cache.stats().memory.remoteEvictions).toBe(1);
    }
  });

  it('all: a memory LRU eviction in A drops the key from B; shared: it does not', async () => {
    for (const mode of ['all', 'shared'] as const) {
      const { a, b, scope } = await pair(mode, { memoryBytes: 20_000 });
      const k = key(3);
      await a.cache.set(k, Buffer.alloc(3000, 1), {});
      await promoteInto(b, k);
      for (let i = 0; i < 10; i++) await a.memory.set(`filler${i}`, entryOf(Buffer.alloc(3000, 2)));
      expect(a.memory.peek(k)).toBeUndefined();
      expect(a.memory.stats().evictions).toBeGreaterThan(0);
      if (mode === 'all') {
        await waitFor(() => !b.cache.peek(k), { timeoutMs: 5000, what: 'B drops the memory-evicted key' });
        await waitFor(() => a.cache.stats().memory.evictionsBroadcast! > 0, { what: 'counted once published' });
      } else {
        await a.cache.close(); // sends anything still batched
        await drained(scope, b);
        expect(b.cache.peek(k)).toBeDefined();
        expect(a.evictPublishes()).toBe(0);
        expect(a.cache.stats().memory.evictionsBroadcast).toBeUndefined();
      }
    }
  });

  it('off: neither disk, memory nor Redis evictions are broadcast', async () => {
    const dir = tmp();
    const aDisk = new DiskTier(dir, { maxBytes: 100_000, codec: 'raw', touchIntervalMs: 0 });
    const ttl = { tierTtlSeconds: { redis: 1 } };
    const { a, b, scope } = await pair('off', { disk: aDisk, memoryBytes: 60_000, ...ttl }, ttl);
    const value = Buffer.alloc(20_000, 7);
    const k = key(4);
    await a.cache.set(k, value, {});
    await aDisk.idle();
    await promoteInto(b, k);
    await pushOutOfDisk(a, aDisk, dir, k, value, 200);
    expect(fs.existsSync(diskFile(dir, k))).toBe(false);
    expect(aDisk.stats().evictions).toBeGreaterThan(0);
    expect(a.memory.stats().evictions).toBeGreaterThan(0);
    const redis = client();
    await waitFor(async () => (await redis.exists(`${scope}:cache:${k}`)) === 0, {
      timeoutMs: 5000,
      what: 'Redis expiry',
    });
    await a.cache.close();
    await drained(scope, b);
    expect(b.cache.peek(k)).toBeDefined();
    expect(a.evictPublishes()).toBe(0);
    expect(b.cache.stats().memory.remoteEvictions).toBe(0);
    expect(b.cache.stats().redis.evictionsBroadcast).toBeUndefined();
  });

  it('batches a burst: 200+ memory evictions go out in a handful of messages', async () => {
    const { a, scope } = await pair('all', { memoryBytes: 10_000 });
    const raw = client();
    const received: CacheEvent[] = [];
    raw.on('message', (_ch: string, m: string) => received.push(JSON.parse(m) as CacheEvent));
    await raw.subscribe(`${scope}:events`);
    for (let i = 0; i < 220; i++) await a.memory.set(`burst${i}`, entryOf(Buffer.alloc(800, 3)));
    const evicted = a.memory.stats().evictions;
    expect(evicted).toBeGreaterThanOrEqual(200);
    const keys = () => received.flatMap((e) => (e.op === 'evict' ? e.keys : []));
    await waitFor(() => keys().length === evicted, { timeoutMs: 5000, what: 'every evicted key received' });
    expect(new Set(keys()).size).toBe(evicted);
    expect(received.length).toBeLessThanOrEqual(5);
    expect(a.evictPublishes()).toBe(received.length);
    await waitFor(() => a.cache.stats().memory.evictionsBroadcast === evicted, { what: 'counted once published' });
  });

  it('warns once when Redis refuses CONFIG, and still listens (flags set in the server configuration)', async () => {
    const admin = client();
    await admin.call('ACL', 'SETUSER', 'noconfig', 'on', '>noconfig-password', '~*', '&*', '+@all', '-config');
    await admin.config('SET', 'notify-keyspace-events', 'Exe');
    const url = `redis://noconfig:noconfig-password@127.0.0.1:${server.port}`;
    const warnings: unknown[] = [];
    const opts = {
      redisUrl: url,
      tierTtlSeconds: { redis: 1 },
      onWarning: (_m: string, err: KeyEventsConfigError) => void warnings.push(err),
    };
    const { a } = await pair('shared', opts, opts);
    expect(warnings.length).toBe(2); // one per process
    expect(warnings[0]).toBeInstanceOf(KeyEventsConfigError);
    const k = key(5);
    await a.cache.set(k, Buffer.from('<svg/>'), {});
    await waitFor(() => !a.cache.peek(k), { timeoutMs: 5000, what: 'expiry seen without CONFIG' });
  });
});
