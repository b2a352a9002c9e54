import type { Redis } from 'ioredis';
import type { CacheTier } from './tier.js';

/**
 * Shared by the whole fleet. The connection should fail fast (no offline queue, short command
 * timeout): a slow cache must never be slower than converting.
 */
export class RedisTier implements CacheTier {
  readonly name = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'tracefleet:cache:',
    private readonly defaultTtlSeconds = 30 * 24 * 3600,
  ) {}

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: Buffer, ttlSeconds?: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'EX', ttlSeconds ?? this.defaultTtlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await this.redis.unlink(...keys);
    } while (cursor !== '0');
  }

  async close(): Promise<void> {}
}
