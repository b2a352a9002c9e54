import type { RedisClient as Redis } from '@tracefleet/redis';

/**
 * When the cache was last purged (any filter), shared by API replicas. A finished job's record still
 * holds its result; one that finished before a purge is only answered when the cache still (or
 * again) has its key, so purged results are gone for every job that produced them.
 */
export class PurgeMarker {
  constructor(private readonly d: { redis: Redis; prefix: string }) {}

  private get key() {
    return `${this.d.prefix}:cache-purged-at`;
  }

  async mark(at = Date.now()): Promise<void> {
    await this.d.redis.set(this.key, String(at));
  }

  async purgedAt(): Promise<number> {
    return Number((await this.d.redis.get(this.key)) ?? 0);
  }
}
