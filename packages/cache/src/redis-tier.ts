import { scanMasters, unlinkEach, unlinkMatching, type RedisClient } from '@tracefleet/redis';
import { decodeFrame, encodeFrame, type Codec } from './frame.js';
import type { CacheTier, EntryMeta, PurgeFilter, StoredValue, TierEntry, TierStatsSnapshot } from './tier.js';

/**
 * Shared by the whole fleet. Values are compressed frames (frame.ts) under `<prefix><key>`; every key
 * starts with `v<version>:`, so each pipeline (and features extractor) version has its own key
 * prefix, e.g. `tracefleet:cache:v1:r:…`. A set per logo type indexes entries for purges, and a
 * sorted set of hit counts (plus a hash per logo type) feeds warming.
 *
 * The connection should fail fast (no offline queue, short command timeout): a slow cache must
 * never be slower than converting.
 *
 * Cluster-safe: every command names one key (or one key's family), and scans run on every master,
 * so entries spread over all shards of a Redis Cluster.
 */
export class RedisTier implements CacheTier {
  readonly name = 'redis' as const;
  private corrupt = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'tracefleet:cache:',
    private readonly defaultTtlSeconds = 30 * 24 * 3600,
    private readonly codec?: Codec,
  ) {}

  /** The cache key of a Redis key of this tier's entries (`<prefix>v…`); undefined for anything else (indexes, hit counters, other data). */
  cacheKeyOf(redisKey: string): string | undefined {
    return redisKey.startsWith(this.prefix + 'v') ? redisKey.slice(this.prefix.length) : undefined;
  }

  private typeSet(logoType: string) {
    return `${this.prefix}type:${logoType}`;
  }

  async get(key: string): Promise<StoredValue | undefined> {
    const raw = await this.redis.getBuffer(this.prefix + key);
    if (!raw) return undefined;
    const f = decodeFrame(raw);
    if (!f) {
      this.corrupt++;
      await this.redis.del(this.prefix + key);
      return undefined;
    }
    return f;
  }

  async set(key: string, value: Buffer, ttlSeconds?: number, meta: EntryMeta = {}): Promise<void> {
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    // The entry and its type index live in different slots: no transaction. Indexed first, so an
    // entry is never unpurgeable by type; an index member without entry is skipped by the purge.
    if (meta.logoType) {
      const set = this.typeSet(meta.logoType);
      await this.redis.pipeline().sadd(set, key).expire(set, ttl).exec();
    }
    await this.redis.set(this.prefix + key, encodeFrame(value, meta, this.codec), 'EX', ttl);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async purge(filter: PurgeFilter): Promise<number> {
    if ('all' in filter) return unlinkMatching(this.redis, `${this.prefix}*`);
    if ('key' in filter) return this.redis.unlink(this.prefix + filter.key);
    if ('imageHash' in filter) return unlinkMatching(this.redis, `${this.prefix}v*:?:${filter.imageHash}*`);
    const members = await this.redis.smembers(this.typeSet(filter.logoType));
    let n = 0;
    for (let i = 0; i < members.length; i += 500)
      n += await unlinkEach(
        this.redis,
        members.slice(i, i + 500).map((k) => this.prefix + k),
      );
    await this.redis.unlink(this.typeSet(filter.logoType));
    return n;
  }

  async *entries(): AsyncIterable<TierEntry> {
    for await (const { node, keys } of scanMasters(this.redis, `${this.prefix}v*`, 200)) {
      const p = node.pipeline();
      for (const k of keys) p.getBuffer(k).pttl(k);
      const res = (await p.exec()) ?? [];
      for (let i = 0; i < keys.length; i++) {
        const raw = res[2 * i]?.[1] as Buffer | null;
        const pttl = res[2 * i + 1]?.[1] as number;
        const f = raw ? decodeFrame(raw) : undefined;
        if (f)
          yield {
            key: keys[i].slice(this.prefix.length),
            ...f,
            ttlSeconds: pttl > 0 ? Math.ceil(pttl / 1000) : undefined,
          };
      }
    }
  }

  async recordHits(hits: ReadonlyMap<string, { n: number; logoType?: string }>): Promise<void> {
    // One pipeline per key: on a cluster the two counters live in different slots.
    const counts = this.redis.pipeline();
    const types = this.redis.pipeline();
    for (const [key, h] of hits) {
      counts.zincrby(`${this.prefix}hits`, h.n, key);
      if (h.logoType) types.hincrby(`${this.prefix}hits:type`, h.logoType, h.n);
    }
    // Keep the 10 000 most popular keys: enough to warm any memory tier.
    counts.zremrangebyrank(`${this.prefix}hits`, 0, -10_001);
    await Promise.all([counts.exec(), types.length ? types.exec() : undefined]);
  }

  async popular(limit: number): Promise<string[]> {
    return this.redis.zrevrange(`${this.prefix}hits`, 0, limit - 1);
  }

  /** Hit counts per logo type. */
  async hitsByType(): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(`${this.prefix}hits:type`);
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  async clear(): Promise<void> {
    await unlinkMatching(this.redis, `${this.prefix}*`);
  }

  stats(): TierStatsSnapshot {
    return { evictions: 0, corrupt: this.corrupt };
  }

  async close(): Promise<void> {}
}
