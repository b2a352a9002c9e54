import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@tracefleet/testing';
import { useRedisServer } from './test-support/redis-server.js';
import { exportCache, importCache } from './backup.js';
import { CacheBus } from './bus.js';
import { DiskTier } from './disk-tier.js';
import { LayeredCache } from './layered-cache.js';
import { MemoryTier } from './memory-tier.js';
import { RedisTier } from './redis-tier.js';
import { connected, createCache } from './create-cache.js';
import { entryOf } from './entry.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));
const redis = useRedisServer();
const client = redis.client;

describe('disk tier size cap', () => {
  it('evicts least recently used files down to 80 % of the cap and counts them', async () => {
    const dir = tmp('tf-disk-cap-');
    const tier = new DiskTier(dir, { maxBytes: 200_000, codec: 'raw', touchIntervalMs: 0 });
    const value = Buffer.alloc(20_000, 7);
    await tier.set('keep', entryOf(value));
    await tier.idle();
    for (let i = 0; i < 15; i++) {
      await tier.set(`k${i}`, entryOf(value));
      await tier.idle();
      await new Promise((r) => setTimeout(r, 5));
      expect(await tier.get('keep')).toBeDefined(); // a hit refreshes its last use
    }
    await new Promise((r) => setTimeout(r, 50)); // the last touch is not awaited
    const size = (await collect(tier.entries())).reduce((s, e) => s + e.value.length, 0);
    expect(size).toBeLessThanOrEqual(200_000);
    expect(tier.stats().evictions).toBeGreaterThan(0);
    expect(await tier.get('keep')).toBeDefined();
    expect(await tier.get('k0')).toBeUndefined();
  });
});

describe('disk tier directories', () => {
  it('makes a directory on the first write that finds it missing, also after a purge removed it', async () => {
    const dir = tmp('tf-disk-dirs-');
    const tier = new DiskTier(dir);
    await tier.set('a', entryOf(Buffer.from('1')));
    await tier.purge({ all: true });
    expect(fs.readdirSync(dir)).toEqual([]);
    await tier.set('a', entryOf(Buffer.from('2')));
    await tier.set('b', entryOf(Buffer.from('3')));
    expect((await tier.get('a'))?.value.toString()).toBe('2');
    expect((await collect(tier.entries())).length).toBe(2);
  });
});

describe('invalidation broadcast', () => {
  it('a purge or delete in one process drops the entries from the memory and disk tiers of another', async () => {
    const shared = () => new RedisTier(client(), 'bus:cache:');
    const a = new LayeredCache(
      { memory: new MemoryTier({ maxBytes: 1 << 20, adaptive: false }), lower: [shared()] },
      {
        bus: new CacheBus(client(), 'bus:test'),
        hitFlushMs: 0,
      },
    );
    const bDisk = new DiskTier(tmp('tf-bus-'));
    const bBus = new CacheBus(client(), 'bus:test');
    const b = new LayeredCache(
      { memory: new MemoryTier({ maxBytes: 1 << 20, adaptive: false }), lower: [bDisk, shared()] },
      {
        bus: bBus,
        hitFlushMs: 0,
      },
    );
    await bBus.ready;
    const h = 'd'.repeat(64);
    await a.set(`v1:r:${h}:auto.8`, Buffer.from('<svg/>'), { imageHash: h, logoType: 'mono' });
    await a.set('other', Buffer.from('o'), { logoType: 'flag' });
    expect((await b.get(`v1:r:${h}:auto.8`))?.tier).toBe('redis');
    expect((await b.get('other'))?.tier).toBe('redis');
    await waitFor(async () => b.peek('other') && b.peek(`v1:r:${h}:auto.8`) && (await bDisk.get('other')), {
      what: 'promotion',
    });

    await a.purge({ label: 'imageHash', value: h });
    await waitFor(async () => !b.peek(`v1:r:${h}:auto.8`) && !(await bDisk.get(`v1:r:${h}:auto.8`)), {
      what: 'purge seen by b',
    });
    expect(b.peek('other')).toBeDefined();

    await a.delete('other');
    await waitFor(async () => !b.peek('other') && !(await bDisk.get('other')), { what: 'delete seen by b' });
    await a.close();
    await b.close();
  });
});

describe('start-up warming', () => {
  it('waits for a fail-fast connection to be ready, then fills memory before createCache returns', async () => {
    const before = await createCache({ memoryMaxBytes: 1 << 20, ttlSeconds: 60, redis: client() });
    await before.set('v1:r:hot', Buffer.from('<svg/>'), {});
    for (let i = 0; i < 3; i++) expect((await before.get('v1:r:hot'))?.tier).toBe('memory');
    await before.close();
    // As the services connect: no offline queue, so a command before `ready` fails ("Stream isn't writeable").
    const failFast = new Redis(redis.url(), { enableOfflineQueue: false });
    redis.track(failFast);
    const errors: string[] = [];
    const after = await createCache({
      memoryMaxBytes: 1 << 20,
      ttlSeconds: 60,
      redis: failFast,
      warm: 10,
      onError: (tier, op, err) => errors.push(`${tier} ${op}: ${(err as Error).message}`),
    });
    expect(after.peek('v1:r:hot')?.value.toString()).toBe('<svg/>');
    expect(errors).toEqual([]);
    await after.close();
  });

  it('tells a ready connection from one that cannot connect', async () => {
    expect(await connected(client())).toBe(true);
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: false, retryStrategy: () => 1000 });
    dead.on('error', () => undefined);
    expect(await connected(dead)).toBe(false);
    dead.disconnect();
  });
});

describe('backup and recovery', () => {
  it('round-trips every entry, its metadata and TTL through a compressed, versioned file', async () => {
    const source = new RedisTier(client(), 'backup-src:');
    const entries = Array.from({ length: 300 }, (_, i) => ({
      key: `v1:r:${i.toString(16).padStart(64, '0')}:auto.8`,
      value: Buffer.from(`<svg>${'x'.repeat(i * 37)}</svg>`),
      meta: { logoType: ['mono', 'colour', 'flag'][i % 3], imageHash: i.toString(16).padStart(64, '0') },
    }));
    for (const e of entries) await source.set(e.key, entryOf(e.value, e.meta), 3600);
    const file = path.join(tmp('tf-backup-'), 'cache.tfc.gz');
    expect(await exportCache(source, file)).toMatchObject({ count: 300 });
    const head = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString().split('\n')[0]);
    expect(head).toMatchObject({ format: 'tracefleet-cache', version: 1, tier: 'redis' });

    const dest = new DiskTier(tmp('tf-restore-'));
    expect(await importCache(file, [dest])).toMatchObject({ count: 300 });
    const back = new Map((await collect(dest.entries())).map((e) => [e.key, e]));
    expect(back.size).toBe(300);
    for (const e of entries) {
      expect(back.get(e.key)?.value.equals(e.value)).toBe(true);
      expect(back.get(e.key)?.meta).toEqual(e.meta);
      expect(back.get(e.key)?.ttlSeconds).toBeGreaterThan(3500);
    }
  });

  it('refuses a truncated or foreign file', async () => {
    const dir = tmp('tf-backup-bad-');
    const src = new MemoryTier({ maxBytes: 1 << 20, adaptive: false });
    for (let i = 0; i < 5; i++) await src.set(`k${i}`, entryOf(Buffer.from(`v${i}`)));
    const file = path.join(dir, 'ok.gz');
    await exportCache(src, file);
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString().trimEnd().split('\n');
    fs.writeFileSync(path.join(dir, 'cut.gz'), zlib.gzipSync(lines.slice(0, -2).join('\n') + '\n'));
    await expect(
      importCache(path.join(dir, 'cut.gz'), [new MemoryTier({ maxBytes: 1 << 20, adaptive: false })]),
    ).rejects.toThrow(/truncated/);
    fs.writeFileSync(path.join(dir, 'foreign.gz'), zlib.gzipSync('{"hello":1}\n'));
    await expect(importCache(path.join(dir, 'foreign.gz'), [])).rejects.toThrow(/not a tracefleet cache backup/);
  });
});
