import { scanMasters, unlinkEach, unlinkMatching, type RedisClient } from '@tracefleet/redis';
import type { OutgoingEntry } from './entry.js';
import { decodeFrame, type Codec } from './frame.js';
import { SetExpiry } from './set-expiry.js';
import {
  labelOf,
  matches,
  type CacheTier,
  type HitCounts,
  type Meta,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierStatsSnapshot,
} from './tier.js';

/**
 * How the Redis tier indexes the caller's labels (metadata fields) for purges. A label is either
 * kept in a set per value (`<prefix><segment>:<value>`, members are keys), or part of the key
 * itself (purged by SCAN with a glob relative to the prefix). A label in neither is purged by
 * reading every entry's metadata.
 */
export interface RedisIndex {
  sets?: Readonly<Record<string, string>>;
  keyGlobs?: Readonly<Record<string, (value: string) => string>>;
  /** A label whose hits are also counted per value, in the hash `<prefix>hits:<segment>`. */
  hitsBy?: { label: string; segment: string };
}

/**
 * Shared by the whole fleet. Values are compressed frames (frame.ts) under `<prefix><key>`; the
 * caller's keys start with `v` (e.g. `tracefleet:cache:v1:r:…`), which tells entries from the
 * tier's own indexes. Labels are indexed as `RedisIndex` says, and a sorted set of hit counts
 * (plus a hash per value of one label) feeds warming.
 *
 * The connection should fail fast (no offline queue, short command timeout): a slow cache must
 * never be slower than converting.
 *
 * Cluster-safe: every command names one key (pipelines stay within one key), and scans run on
 * every master, so entries spread over all shards of a Redis Cluster.
 */
export class RedisTier<M extends Meta = Meta> implements CacheTier<M> {
  readonly name = 'redis' as const;
  private corrupt = 0;
  private readonly setExpiry: SetExpiry;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'tracefleet:cache:',
    private readonly defaultTtlSeconds = 30 * 24 * 3600,
    private readonly index: RedisIndex = {},
    private readonly codec?: Codec,
    now?: () => number,
  ) {
    this.setExpiry = new SetExpiry(now);
  }

  /** The cache key of a Redis key of this tier's entries (`<prefix>v…`); undefined for anything else (indexes, hit counters, other data). */
  cacheKeyOf(redisKey: string): string | undefined {
    return redisKey.startsWith(this.prefix + 'v') ? redisKey.slice(this.prefix.length) : undefined;
  }

  private labelSet(segment: string, value: string) {
    return `${this.prefix}${segment}:${value}`;
  }

  async get(key: string): Promise<StoredValue<M> | undefined> {
    const raw = await this.redis.getBuffer(this.prefix + key);
    if (!raw) return undefined;
    const f = decodeFrame<M>(raw);
    if (!f) {
      this.corrupt++;
      await this.redis.del(this.prefix + key);
      return undefined;
    }
    return f;
  }

  async set(key: string, entry: OutgoingEntry<M>, ttlSeconds?: number): Promise<void> {
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    // The entry and its label sets live in different slots: no transaction. Indexed first, so an
    // entry is never unpurgeable by label; a set member without entry is skipped by the purge.
    const indexed: Array<Promise<void>> = [];
    for (const [label, segment] of Object.entries(this.index.sets ?? {})) {
      const value = labelOf(entry.meta, label);
      if (value) indexed.push(this.addToSet(this.labelSet(segment, value), key, ttl));
    }
    await Promise.all(indexed);
    await this.redis.set(this.prefix + key, entry.frame(this.codec), 'EX', ttl);
  }

  /**
   * Adds a key to a label set; the set's TTL is pushed out only when it would not cover the entry
   * (set-expiry.ts). Replies are not checked, as before: only a failed connection fails the write.
   */
  private async addToSet(set: string, key: string, ttl: number): Promise<void> {
    const expire = this.setExpiry.due(set, ttl);
    const p = this.redis.pipeline().sadd(set, key);
    if (expire === undefined) {
      await p.exec();
      return;
    }
    try {
      if ((await p.expire(set, expire).exec())?.[1]?.[0]) this.setExpiry.forget(set);
    } catch (err) {
      this.setExpiry.forget(set);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async purge(filter: PurgeFilter): Promise<number> {
    if ('all' in filter) return this.clearing(unlinkMatching(this.redis, `${this.prefix}*`));
    if ('key' in filter) return this.redis.unlink(this.prefix + filter.key);
    const glob = this.index.keyGlobs?.[filter.label];
    if (glob) return unlinkMatching(this.redis, this.prefix + glob(filter.value));
    const segment = this.index.sets?.[filter.label];
    if (!segment) return this.purgeByScan(filter);
    const set = this.labelSet(segment, filter.value);
    const members = await this.redis.smembers(set);
    let n = 0;
    for (let i = 0; i < members.length; i += 500)
      n += await unlinkEach(
        this.redis,
        members.slice(i, i + 500).map((k) => this.prefix + k),
      );
    await this.redis.unlink(set);
    // After the unlink: a write racing with the purge must not leave the recreated set without a TTL.
    this.setExpiry.forget(set);
    return n;
  }

  /** A label Redis does not index: every entry's metadata is read. */
  private async purgeByScan(filter: PurgeFilter): Promise<number> {
    let n = 0;
    for await (const e of this.entries())
      if (matches(filter, e.key, e.meta)) n += await this.redis.unlink(this.prefix + e.key);
    return n;
  }

  async *entries(): AsyncIterable<TierEntry<M>> {
    for await (const { node, keys } of scanMasters(this.redis, `${this.prefix}v*`, 200)) {
      const p = node.pipeline();
      for (const k of keys) p.getBuffer(k).pttl(k);
      const res = (await p.exec()) ?? [];
      for (let i = 0; i < keys.length; i++) {
        const raw = res[2 * i]?.[1] as Buffer | null;
        const pttl = res[2 * i + 1]?.[1] as number;
        const f = raw ? decodeFrame<M>(raw) : undefined;
        if (f)
          yield {
            key: keys[i].slice(this.prefix.length),
            ...f,
            ttlSeconds: pttl > 0 ? Math.ceil(pttl / 1000) : undefined,
          };
      }
    }
  }

  async recordHits(hits: HitCounts<M>): Promise<void> {
    const by = this.index.hitsBy;
    // One pipeline per key: on a cluster the two counters live in different slots.
    const counts = this.redis.pipeline();
    const byLabel = this.redis.pipeline();
    for (const [key, h] of hits) {
      counts.zincrby(`${this.prefix}hits`, h.n, key);
      const value = by && labelOf(h.meta, by.label);
      if (value) byLabel.hincrby(`${this.prefix}hits:${by.segment}`, value, h.n);
    }
    // Keep the 10 000 most popular keys: enough to warm any memory tier.
    counts.zremrangebyrank(`${this.prefix}hits`, 0, -10_001);
    await Promise.all([counts.exec(), byLabel.length ? byLabel.exec() : undefined]);
  }

  async popular(limit: number): Promise<string[]> {
    return this.redis.zrevrange(`${this.prefix}hits`, 0, limit - 1);
  }

  /** Hit counts per value of the `hitsBy` label. */
  async hitsByLabel(): Promise<Record<string, number>> {
    if (!this.index.hitsBy) return {};
    const h = await this.redis.hgetall(`${this.prefix}hits:${this.index.hitsBy.segment}`);
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  /** Every label set is gone once `unlinked` resolves: their TTLs are unknown again. */
  private async clearing<T>(unlinked: Promise<T>): Promise<T> {
    try {
      return await unlinked;
    } finally {
      this.setExpiry.forget();
    }
  }

  async clear(): Promise<void> {
    await this.clearing(unlinkMatching(this.redis, `${this.prefix}*`));
  }

  stats(): TierStatsSnapshot {
    return { evictions: 0, corrupt: this.corrupt };
  }

  async close(): Promise<void> {}
}
