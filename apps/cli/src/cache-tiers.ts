import type { Config } from '@tracefleet/config';
import { DiskTier, MemoryTier, MongoTier, RedisTier, type CacheTier, type TierName } from '@tracefleet/cache';
import { CONVERSION_CACHE_SCHEMA, type EntryMeta } from '@tracefleet/converter';
import { createRedis } from '@tracefleet/queue';

export const TIER_NAMES: readonly TierName[] = ['memory', 'disk', 'redis', 'mongo'];

/** Parses `--tier disk,redis` into tier names, refusing unknown ones. */
export function parseTiers(raw: string): TierName[] {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!TIER_NAMES.includes(n as TierName)) throw new Error(`unknown tier "${n}" (memory, disk, redis, mongo)`);
  if (!names.length) throw new Error('no tier given');
  return names as TierName[];
}

/** A fail-fast Redis connection that is ready, or an error (and no connection left retrying). */
export async function connectRedis(url: string): Promise<ReturnType<typeof createRedis>> {
  const redis = createRedis(url, 'cache');
  const ready = await new Promise<boolean>((resolve) => {
    if (redis.status === 'ready') return resolve(true);
    const timer = setTimeout(() => resolve(false), 3000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!ready) {
    redis.disconnect();
    throw new Error('Redis at REDIS_URL does not answer');
  }
  return redis;
}

/** Opens single tiers from the configuration (CACHE_DIR, REDIS_URL, MONGO_URL) for backup and restore. */
export async function openTiers(
  config: Config,
  names: TierName[],
): Promise<{ tiers: CacheTier<EntryMeta>[]; close(): Promise<void> }> {
  const tiers: CacheTier<EntryMeta>[] = [];
  let redis: ReturnType<typeof createRedis> | undefined;
  for (const name of names) {
    if (name === 'memory')
      tiers.push(new MemoryTier<EntryMeta>({ maxBytes: config.cacheMemoryMaxBytes, adaptive: false }));
    if (name === 'disk') tiers.push(new DiskTier<EntryMeta>(config.cacheDir, { maxBytes: config.cacheDiskMaxBytes }));
    if (name === 'redis') {
      redis = await connectRedis(config.redisUrl);
      tiers.push(
        new RedisTier<EntryMeta>(
          redis,
          'tracefleet:cache:',
          config.cacheTierTtlSeconds.redis,
          CONVERSION_CACHE_SCHEMA.redis,
        ),
      );
    }
    if (name === 'mongo') {
      if (!config.mongoUrl) throw new Error('the mongo tier needs MONGO_URL');
      tiers.push(
        await MongoTier.connect<EntryMeta>(config.mongoUrl, {
          ttlSeconds: config.cacheTierTtlSeconds.mongo,
          layout: CONVERSION_CACHE_SCHEMA.mongo,
        }),
      );
    }
  }
  return {
    tiers,
    async close() {
      await Promise.allSettled(tiers.map((t) => t.close()));
      await redis?.quit().catch(() => undefined);
    },
  };
}
