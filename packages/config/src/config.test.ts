import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARS, loadConfig } from './index.js';

describe('config', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.redis).toEqual({ mode: 'standalone', url: 'redis://127.0.0.1:6379' });
    expect(c.cacheRedis).toBe(c.redis);
    expect(c.cachePrefix).toBe('tracefleet:cache');
    expect(c.mongoUrl).toBeUndefined();
    expect(c.workerConcurrency).toBeGreaterThanOrEqual(1);
  });
  it('reads and validates env', () => {
    const token = 'x'.repeat(32);
    const c = loadConfig({ PORT: '8080', WORKER_CONCURRENCY: '4', CACHE_DIR: '/tmp/x', ADMIN_TOKEN: token });
    expect(c).toMatchObject({ port: 8080, workerConcurrency: 4, cacheDir: '/tmp/x', adminToken: token });
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKER_CONCURRENCY: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(ConfigError);
  });
  it('reads the queue Redis as exactly one of URL, Sentinel or Cluster', () => {
    const s = loadConfig({
      REDIS_SENTINELS: '10.0.0.1:26379, sentinel-2:26380',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sp',
      REDIS_PASSWORD: 'dp',
      REDIS_TLS: 'true',
    });
    expect(s.redis).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-2', port: 26380 },
      ],
      name: 'mymaster',
      sentinelPassword: 'sp',
      password: 'dp',
      tls: true,
    });
    expect(s.queuePrefix).toBe('tracefleet');
    expect(() => loadConfig({ REDIS_SENTINELS: 'a:1' })).toThrow(/REDIS_SENTINEL_NAME/);
    expect(() => loadConfig({ REDIS_SENTINELS: 'a', REDIS_SENTINEL_NAME: 'm' })).toThrow(/host:port/);
    expect(() => loadConfig({ REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: 'a:1' })).toThrow(/only one of/);
    const c = loadConfig({ REDIS_CLUSTER_NODES: 'a:7000,b:7001' });
    expect(c.redis).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
    });
    expect(c.cacheRedis).toBe(c.redis);
  });

  it('needs a {hash tag} in the queue prefix on a cluster and derives the cache prefix from it', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: 'a:7000' });
    expect(c.queuePrefix).toBe('{tracefleet}');
    expect(c.cachePrefix).toBe('tracefleet:cache');
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', QUEUE_PREFIX: 'tf{q}' }).queuePrefix).toBe('tf{q}');
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', QUEUE_PREFIX: 'tf' })).toThrow(/hash tag/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', QUEUE_PREFIX: 'tf{}' })).toThrow(/hash tag/);
    expect(loadConfig({ QUEUE_PREFIX: 'acme' }).cachePrefix).toBe('acme:cache');
    expect(loadConfig({ CACHE_PREFIX: 'c1' }).cachePrefix).toBe('c1');
  });

  it('reads an optional cache Redis with the CACHE_ prefix', () => {
    const c = loadConfig({ REDIS_URL: 'redis://q:6379', CACHE_REDIS_URL: 'redis://c:6379' });
    expect(c.redis).toEqual({ mode: 'standalone', url: 'redis://q:6379' });
    expect(c.cacheRedis).toEqual({ mode: 'standalone', url: 'redis://c:6379' });
    const s = loadConfig({ CACHE_REDIS_SENTINELS: 's:26379', CACHE_REDIS_SENTINEL_NAME: 'cache' });
    expect(s.cacheRedis).toMatchObject({ mode: 'sentinel', name: 'cache' });
    expect(s.redis.mode).toBe('standalone');
    expect(loadConfig({ CACHE_REDIS_CLUSTER_NODES: 'n:7000' }).cacheRedis.mode).toBe('cluster');
    expect(() => loadConfig({ CACHE_REDIS_URL: 'redis://c', CACHE_REDIS_CLUSTER_NODES: 'n:1' })).toThrow(
      /CACHE_REDIS_URL/,
    );
    expect(() => loadConfig({ CACHE_REDIS_SENTINELS: 's:1' })).toThrow(/CACHE_REDIS_SENTINEL_NAME/);
  });

  it('reads a TTL per cache tier, defaulting to CACHE_TTL_SECONDS', () => {
    const c = loadConfig({
      CACHE_TTL_SECONDS: '600',
      CACHE_MEMORY_TTL_SECONDS: '60',
      CACHE_MONGO_TTL_SECONDS: '86400',
    });
    expect(c.cacheTierTtlSeconds).toEqual({ memory: 60, disk: 600, redis: 600, mongo: 86400 });
    expect(() => loadConfig({ CACHE_DISK_TTL_SECONDS: '0' })).toThrow(ConfigError);
  });

  it('reads the eviction broadcast mode, shared by default', () => {
    expect(loadConfig({}).cacheEvictionBroadcast).toBe('shared');
    expect(loadConfig({ CACHE_EVICTION_BROADCAST: 'all' }).cacheEvictionBroadcast).toBe('all');
    expect(loadConfig({ CACHE_EVICTION_BROADCAST: 'off' }).cacheEvictionBroadcast).toBe('off');
    expect(() => loadConfig({ CACHE_EVICTION_BROADCAST: 'memory' })).toThrow(
      /CACHE_EVICTION_BROADCAST must be one of shared, all, off/,
    );
  });

  it('refuses an ADMIN_TOKEN shorter than 32 characters', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'x'.repeat(31) })).toThrow(/ADMIN_TOKEN must be at least 32/);
  });

  it('reads TRUST_PROXY as fastify trustProxy', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: 'evil host' })).toThrow(ConfigError);
  });

  it('declares every variable once', () => {
    const names = ENV_VARS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ['PORT', 'HOST', 'REDIS_URL', 'MONGO_URL', 'CACHE_DIR', 'WORKER_CONCURRENCY', 'ADMIN_TOKEN'])
      expect(names).toContain(n);
  });
});
