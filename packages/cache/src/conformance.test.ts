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

/** The one suite every tier passes. */
function conformance(name: string, make: () => Promise<CacheTier>, opts: { corrupt?: (t: CacheTier, key: string) => Promise<void> } = {}) {
  describe(`${name} tier conformance`, () => {
    let tier: CacheTier;
    beforeAll(async () => {
      tier = await make();
      await tier.clear();
    });
    afterAll(async () => tier?.close());

    it('gets what was set, and misses what was not', async () => {
      await tier.set('k1', Buffer.from('hello'));
      expect((await tier.get('k1'))?.toString()).toBe('hello');
      expect(await tier.get('absent')).toBeUndefined();
    });
    it('overwrites and deletes', async () => {
      await tier.set('k2', Buffer.from('a'));
      await tier.set('k2', Buffer.from('b'));
      expect((await tier.get('k2'))?.toString()).toBe('b');
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
      expect((await tier.get('big'))?.equals(big)).toBe(true);
    });
    it('survives concurrent writers of one key', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => tier.set('race', Buffer.from(`value-${i}`))));
      expect((await tier.get('race'))?.toString()).toMatch(/^value-\d+$/);
    });
    it('purges everything', async () => {
      await tier.set('p1', Buffer.from('1'));
      await tier.clear();
      expect(await tier.get('p1')).toBeUndefined();
    });
    if (opts.corrupt) {
      it('drops a corrupt entry instead of serving it', async () => {
        await tier.set('bad', Buffer.from('good value'));
        await opts.corrupt!(tier, 'bad');
        expect(await tier.get('bad')).toBeUndefined();
      });
    }
  });
}

conformance('memory', async () => new MemoryTier({ maxBytes: 64 * 1024 * 1024 }));

const diskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-disk-'));
conformance('disk', async () => new DiskTier(diskDir), {
  corrupt: async () => {
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
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
conformance('redis', async () => {
  const c = new Redis(redisServer.url);
  redisClients.push(c);
  return new RedisTier(c, 'test:cache:');
});

describe.skipIf(!process.env.MONGO_URL)('mongo (MONGO_URL set)', () => {
  conformance('mongo', () => MongoTier.connect(process.env.MONGO_URL!, { db: 'tracefleet_test', collection: `results_${process.pid}` }));
});
if (!process.env.MONGO_URL) console.log('mongo tier conformance skipped: MONGO_URL is not set (no MongoDB server on this machine)');
