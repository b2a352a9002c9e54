import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARS, loadConfig } from './index.js';

describe('config', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
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
