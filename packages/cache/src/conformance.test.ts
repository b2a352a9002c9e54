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
import type { CacheTier } from './tier.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const rk = (h: string, o = 'auto.8') => `v1:r:${h}:${o}`;
const text = async (t: CacheTier, k: string) => (await t.get(k))?.value.toString();

/** The one suite every tier passes. */
function conformance(
  name: string,
  make: () => Promise<CacheTier>,
  opts: { corrupt?: (t: CacheTier, key: string) => Promise<void> } = {},
) {
  describe(`${name} tier conformance`, () => {
    let tier: CacheTier;
    beforeAll(async () => {
      tier = await make();
      await tier.clear();
    });
    afterAll(async () => tier?.close());

    it('gets what was set with its metadata, and misses what was not', async () => {
      await tier.set('k1', Buffer.from('hello'), undefined, { logoType: 'mono', imageHash: H1 });
      const got = await tier.get('k1');
      expect(got?.value.toString()).toBe('hello');
      expect(got?.meta).toMatchObject({ logoType: 'mono', imageHash: H1 });
      expect(await tier.get('absent')).toBeUndefined();
    });
    it('overwrites and deletes', async () => {
      await tier.set('k2', Buffer.from('a'));
      await tier.set('k2', Buffer.from('b'));
      expect(await text(tier, 'k2')).toBe('b');
      await tier.delete('k2');
      expect(await tier.get('k2')).toBeUndefined();
    });
    it('expires entries after their TTL', async () => {
      await tier.set('ttl', Buffer.from('x'), 1);
      expect(await tier.get('ttl')).toBeDefined();
      await new Promise((r) => setTimeout(r, 1100));
      expect(await tier.get('ttl')).toBeUndefined();
    });
    it('keeps large values intact', async () => {
      const big = Buffer.alloc(2 * 1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
      await tier.set('big', big);
      expect((await tier.get('big'))?.value.equals(big)).toBe(true);
    });
    it('survives concurrent writers of one key', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => tier.set('race', Buffer.from(`value-${i}`.repeat(50)))));
      expect(await text(tier, 'race')).toMatch(/^(value-\d+)+$/);
    });
    it('purges by key, by image hash and by logo type, and lists what is left', async () => {
      await tier.clear();
      await tier.set(rk(H1), Buffer.from('h1 auto'), undefined, { imageHash: H1, logoType: 'mono' });
      await tier.set(rk(H1, 'color.4'), Buffer.from('h1 color'), undefined, { imageHash: H1, logoType: 'colour' });
      await tier.set(`v1:f:${H1}`, Buffer.from('{"f":1}'), undefined, { imageHash: H1 });
      await tier.set(rk(H2), Buffer.from('h2 auto'), undefined, { imageHash: H2, logoType: 'colour' });
      await tier.set(rk(H2, 'mono.2'), Buffer.from('h2 mono'), undefined, { imageHash: H2, logoType: 'mono' });
      await tier.set('plain', Buffer.from('p'));
      expect(await tier.purge({ key: 'plain' })).toBe(1);
      expect(await tier.get('plain')).toBeUndefined();
      expect(await tier.purge({ imageHash: H1 })).toBe(3);
      expect(await tier.get(rk(H1))).toBeUndefined();
      expect(await tier.get(`v1:f:${H1}`)).toBeUndefined();
      expect(await text(tier, rk(H2))).toBe('h2 auto');
      expect(await tier.purge({ logoType: 'mono' })).toBe(1);
      expect(await tier.get(rk(H2, 'mono.2'))).toBeUndefined();
      const left = [];
      for await (const e of tier.entries()) left.push([e.key, e.value.toString(), e.meta.logoType]);
      expect(left).toEqual([[rk(H2), 'h2 auto', 'colour']]);
    });
    it('purges everything', async () => {
      await tier.set('p1', Buffer.from('1'));
      await tier.purge({ all: true });
      expect(await tier.get('p1')).toBeUndefined();
      await tier.set('p2', Buffer.from('2'));
      await tier.clear();
      expect(await tier.get('p2')).toBeUndefined();
    });
    if (opts.corrupt) {
      it('drops a corrupt entry instead of serving it, and counts it', async () => {
        await tier.set('bad', Buffer.from('good value '.repeat(100)));
        await opts.corrupt!(tier, 'bad');
        expect(await tier.get('bad')).toBeUndefined();
        expect(tier.stats().corrupt).toBeGreaterThanOrEqual(1);
        expect(await tier.get('bad')).toBeUndefined();
      });
    }
  });
}

conformance('memory', async () => new MemoryTier({ maxBytes: 64 * 1024 * 1024, adaptive: false }));

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
conformance('redis', async () => new RedisTier(redisClient(), 'test:cache:'), {
  corrupt: async (_t, key) => {
    const c = redisClient();
    const raw = (await c.getBuffer(`test:cache:${key}`))!;
    raw[raw.length - 1] ^= 0xff;
    await c.set(`test:cache:${key}`, raw);
  },
});

describe.skipIf(!process.env.MONGO_URL)('mongo (MONGO_URL set)', () => {
  conformance('mongo', () =>
    MongoTier.connect(process.env.MONGO_URL!, { db: 'tracefleet_test', collectionPrefix: `t${process.pid}_` }),
  );
});
if (!process.env.MONGO_URL)
  console.log('mongo tier conformance skipped: MONGO_URL is not set (no MongoDB server on this machine)');
