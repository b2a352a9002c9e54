import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '@tracefleet/testing';
import { DiskTier } from './disk-tier.js';
import { MemoryTier } from './memory-tier.js';
import { MongoTier } from './mongo-tier.js';
import { RedisTier } from './redis-tier.js';
import { entryOf } from './entry.js';
import type { CacheTier } from './tier.js';

/** The metadata of these tests: two labels, as the converter's entries have. */
type TestMeta = { imageHash?: string; logoType?: string };

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const rk = (h: string, o = 'auto.8') => `v1:r:${h}:${o}`;
const text = async (t: CacheTier<TestMeta>, k: string) => (await t.get(k))?.value.toString();

/** The one suite every tier passes. */
function conformance(
  name: string,
  make: () => Promise<CacheTier<TestMeta>>,
  opts: { corrupt?: (t: CacheTier<TestMeta>, key: string) => Promise<void> } = {},
) {
  describe(`${name} tier conformance`, () => {
    let tier: CacheTier<TestMeta>;
    beforeAll(async () => {
      tier = await make();
      await tier.clear();
    });
    afterAll(async () => tier?.close());

    it('gets what was set with its metadata, and misses what was not', async () => {
      await tier.set('k1', entryOf(Buffer.from('hello'), { logoType: 'mono', imageHash: H1 }));
      const got = await tier.get('k1');
      expect(got?.value.toString()).toBe('hello');
      expect(got?.meta).toMatchObject({ logoType: 'mono', imageHash: H1 });
      expect(await tier.get('absent')).toBeUndefined();
    });
    it('overwrites and deletes', async () => {
      await tier.set('k2', entryOf(Buffer.from('a')));
      await tier.set('k2', entryOf(Buffer.from('b')));
      expect(await text(tier, 'k2')).toBe('b');
      await tier.delete('k2');
      expect(await tier.get('k2')).toBeUndefined();
    });
    it('expires entries after their TTL', async () => {
      await tier.set('ttl', entryOf(Buffer.from('x')), 1);
      expect(await tier.get('ttl')).toBeDefined();
      await new Promise((r) => setTimeout(r, 1100));
      expect(await tier.get('ttl')).toBeUndefined();
    });
    it('keeps large values intact', async () => {
      const big = Buffer.alloc(2 * 1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
      await tier.set('big', entryOf(big));
      expect((await tier.get('big'))?.value.equals(big)).toBe(true);
    });
    it('survives concurrent writers of one key', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => tier.set('race', entryOf(Buffer.from(`value-${i}`.repeat(50))))),
      );
      expect(await text(tier, 'race')).toMatch(/^(value-\d+)+$/);
    });
    it('purges by key, by image hash and by logo type, and lists what is left', async () => {
      await tier.clear();
      await tier.set(rk(H1), entryOf(Buffer.from('h1 auto'), { imageHash: H1, logoType: 'mono' }));
      await tier.set(rk(H1, 'color.4'), entryOf(Buffer.from('h1 color'), { imageHash: H1, logoType: 'colour' }));
      await tier.set(`v1:f:${H1}`, entryOf(Buffer.from('{"f":1}'), { imageHash: H1 }));
      await tier.set(rk(H2), entryOf(Buffer.from('h2 auto'), { imageHash: H2, logoType: 'colour' }));
      await tier.set(rk(H2, 'mono.2'), entryOf(Buffer.from('h2 mono'), { imageHash: H2, logoType: 'mono' }));
      await tier.set('plain', entryOf(Buffer.from('p')));
      expect(await tier.purge({ key: 'plain' })).toBe(1);
      expect(await tier.get('plain')).toBeUndefined();
      expect(await tier.purge({ label: 'imageHash', value: H1 })).toBe(3);
      expect(await tier.get(rk(H1))).toBeUndefined();
      expect(await tier.get(`v1:f:${H1}`)).toBeUndefined();
      expect(await text(tier, rk(H2))).toBe('h2 auto');
      expect(await tier.purge({ label: 'logoType', value: 'mono' })).toBe(1);
      expect(await tier.get(rk(H2, 'mono.2'))).toBeUndefined();
      const left = [];
      for await (const e of tier.entries()) left.push([e.key, e.value.toString(), e.meta.logoType]);
      expect(left).toEqual([[rk(H2), 'h2 auto', 'colour']]);
    });
    it('purges everything', async () => {
      await tier.set('p1', entryOf(Buffer.from('1')));
      await tier.purge({ all: true });
      expect(await tier.get('p1')).toBeUndefined();
      await tier.set('p2', entryOf(Buffer.from('2')));
      await tier.clear();
      expect(await tier.get('p2')).toBeUndefined();
    });
    if (opts.corrupt) {
      it('drops a corrupt entry instead of serving it, and counts it', async () => {
        await tier.set('bad', entryOf(Buffer.from('good value '.repeat(100))));
        await opts.corrupt!(tier, 'bad');
        expect(await tier.get('bad')).toBeUndefined();
        expect(tier.stats().corrupt).toBeGreaterThanOrEqual(1);
        expect(await tier.get('bad')).toBeUndefined();
      });
    }
  });
}

conformance('memory', async () => new MemoryTier<TestMeta>({ maxBytes: 64 * 1024 * 1024, adaptive: false }));

const diskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-disk-'));
conformance('disk', async () => new DiskTier(diskDir, { maxBytes: 64 * 1024 * 1024 }), {
  corrupt: async () => {
    const walk = (d: string): string[] =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const f of walk(diskDir)) {
      const b = fs.readFileSync(f);
      b[b.length - 1] ^= 0xff;
      fs.writeFileSync(f, b);
    }
  },
});

let redisServer: RedisServer;
const redisClients: Redis[] = [];
beforeAll(async () => {
  redisServer = await startRedis();
});
afterAll(async () => {
  for (const c of redisClients) c.disconnect();
  await redisServer?.stop();
});
const redisClient = () => {
  const c = new Redis(redisServer.url);
  redisClients.push(c);
  return c;
};
/** Labels indexed as the converter indexes its own (a set per logo type, image hash inside the key). */
const index = { sets: { logoType: 'type' }, keyGlobs: { imageHash: (h: string) => `v*:?:${h}*` } };
conformance('redis', async () => new RedisTier(redisClient(), 'test:cache:', undefined, index), {
  corrupt: async (_t, key) => {
    const c = redisClient();
    const raw = (await c.getBuffer(`test:cache:${key}`))!;
    raw[raw.length - 1] ^= 0xff;
    await c.set(`test:cache:${key}`, raw);
  },
});
// Labels Redis is not told about are purged by reading every entry's metadata.
conformance('redis (labels not indexed)', async () => new RedisTier(redisClient(), 'test:plain:'));

describe.skipIf(!process.env.MONGO_URL)('mongo (MONGO_URL set)', () => {
  conformance('mongo', () =>
    MongoTier.connect<TestMeta>(process.env.MONGO_URL!, {
      db: 'tracefleet_test',
      collectionPrefix: `t${process.pid}_`,
      layout: {
        collections: ['results', 'features'],
        collectionOf: (k) => (/^v[^:]+:f:/.test(k) ? 'features' : 'results'),
        fields: (_k, m) => ({ ...m }),
        labels: ['imageHash', 'logoType'],
      },
    }),
  );
});
if (!process.env.MONGO_URL)
  console.log('mongo tier conformance skipped: MONGO_URL is not set (no MongoDB server on this machine)');
