import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCli, startRedis, startRedisCluster, type RedisCluster, type RedisServer } from '@tracefleet/testing';
import {
  checkWritable,
  createRedisClient,
  describeTarget,
  isCluster,
  masters,
  reconnectOnError,
  redisOptions,
  unlinkMatching,
} from './index.js';

describe('role options', () => {
  it('blocking roles wait forever and never inherit a command timeout; fail-fast roles do not queue', () => {
    for (const role of ['worker', 'events', 'subscriber'] as const) {
      const o = redisOptions(role);
      expect(o.maxRetriesPerRequest).toBeNull();
      expect('commandTimeout' in o && o.commandTimeout === undefined).toBe(true);
    }
    for (const role of ['producer', 'cache'] as const) {
      expect(redisOptions(role).enableOfflineQueue).toBe(false);
      expect(redisOptions(role).commandTimeout).toBeGreaterThan(0);
    }
  });
  it('reconnects and resends on READONLY and LOADING only', () => {
    expect(reconnectOnError(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnError(new Error('LOADING Redis is loading the dataset in memory'))).toBe(2);
    expect(reconnectOnError(new Error('WRONGTYPE Operation against a key'))).toBe(false);
  });
  it('describes targets without credentials', () => {
    expect(describeTarget({ mode: 'standalone', url: 'redis://u:secret@h:6379/0' })).toBe('redis://h:6379/0');
    expect(
      describeTarget({
        mode: 'sentinel',
        sentinels: [{ host: 's1', port: 26379 }],
        name: 'm',
        sentinelPassword: 'x',
        password: 'y',
        tls: false,
      }),
    ).toBe('sentinel:m@s1:26379');
    expect(describeTarget({ mode: 'cluster', nodes: [{ host: 'a', port: 1 }], password: 'p', tls: true })).toBe(
      'cluster:a:1',
    );
  });
});

describe('readiness: ROLE master, not PING', () => {
  let master: RedisServer;
  let replica: RedisServer;
  beforeAll(async () => {
    master = await startRedis();
    replica = await startRedis({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  });
  afterAll(async () => {
    await Promise.all([master?.stop(), replica?.stop()]);
  });

  it('is writable on a master, not on a replica that answers PING', async () => {
    const m = createRedisClient({ mode: 'standalone', url: master.url }, 'producer');
    const r = createRedisClient({ mode: 'standalone', url: replica.url }, 'worker');
    try {
      // Fail fast: not writable before it has connected.
      await Promise.all([m, r].map((c) => new Promise((ok) => c.once('ready', ok))));
      expect(await checkWritable(m)).toEqual({ writable: true, nodes: { redis: 'master' } });
      expect(await (r as Redis).ping()).toBe('PONG');
      expect(await checkWritable(r)).toEqual({ writable: false, nodes: { redis: 'slave' } });
    } finally {
      m.disconnect();
      r.disconnect();
    }
  });

  it('answers within its bound when Redis is away, even on a queueing connection', async () => {
    const dead = createRedisClient({ mode: 'standalone', url: 'redis://127.0.0.1:1' }, 'worker');
    try {
      const t = Date.now();
      const report = await checkWritable(dead, 300);
      expect(report.writable).toBe(false);
      expect(Date.now() - t).toBeLessThan(5000);
    } finally {
      dead.disconnect();
    }
  });
});

describe('cluster: one client, every master', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('builds a Cluster, sees three masters, and unlinks matching keys on all of them', async () => {
    const c = createRedisClient(
      { mode: 'cluster', nodes: [{ host: '127.0.0.1', port: cluster.nodes[0].port }], password: undefined, tls: false },
      'producer',
    );
    try {
      expect(isCluster(c)).toBe(true);
      await new Promise((r) => c.once('ready', r));
      expect(masters(c)).toHaveLength(3);
      for (let i = 0; i < 60; i++) await c.set(`t:k${i}`, 'v');
      const perNode = await Promise.all(cluster.nodes.map((n) => redisCli(n.port, 'DBSIZE')));
      expect(perNode.filter((n) => Number(n) > 0).length).toBe(3);
      expect(await unlinkMatching(c, 't:*')).toBe(60);
      expect((await checkWritable(c)).writable).toBe(true);
    } finally {
      c.disconnect();
    }
  });
});
