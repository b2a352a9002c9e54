import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { useRedisServer } from './test-support/redis-server.js';
import { RedisTier } from './redis-tier.js';
import { entryOf } from './entry.js';
import { SET_TTL_SLACK_SECONDS } from './set-expiry.js';

const redis = useRedisServer();
const client = redis.client;

const index = { sets: { logoType: 'type' } };
const expires = async (c: Redis) => Number(/cmdstat_expire:calls=(\d+)/.exec(await c.info('commandstats'))?.[1] ?? 0);

describe('redis tier label sets', () => {
  it('pushes a set TTL out once per refresh interval, and the set always outlives its members', async () => {
    const c = client();
    let now = Date.now();
    const tier = new RedisTier(c, 'le:', 1000, index, undefined, () => now);
    const before = await expires(c);
    for (let i = 0; i < 5; i++) await tier.set(`v1:k${i}`, entryOf(Buffer.from('x'), { logoType: 'mono' }));
    expect((await expires(c)) - before).toBe(1);
    const setTtl = await c.ttl('le:type:mono');
    expect(setTtl).toBeGreaterThan(1000);
    expect(setTtl).toBeLessThanOrEqual(1000 + SET_TTL_SLACK_SECONDS);
    expect(await c.scard('le:type:mono')).toBe(5);

    now += (SET_TTL_SLACK_SECONDS / 2 + 1) * 1000;
    await tier.set('v1:later', entryOf(Buffer.from('x'), { logoType: 'mono' }));
    expect((await expires(c)) - before).toBe(2);
  });

  it('a set deleted by its own purge gets a TTL again with the next write', async () => {
    const c = client();
    const tier = new RedisTier(c, 'lp:', 1000, index);
    await tier.set('v1:a', entryOf(Buffer.from('x'), { logoType: 'mono' }));
    expect(await tier.purge({ label: 'logoType', value: 'mono' })).toBe(1);
    await tier.set('v1:b', entryOf(Buffer.from('x'), { logoType: 'mono' }));
    expect(await c.ttl('lp:type:mono')).toBeGreaterThan(1000);
    await tier.purge({ all: true });
    await tier.set('v1:c', entryOf(Buffer.from('x'), { logoType: 'mono' }));
    expect(await c.ttl('lp:type:mono')).toBeGreaterThan(1000);
  });
});
