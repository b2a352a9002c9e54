import type { RedisClient as Redis } from '@tracefleet/redis';

/**
 * Whether Redis accepts writes. PING answers even when every write is refused — out of memory under
 * `noeviction` (OOM) or a replica after a failover (READONLY) — so readiness writes a tiny key with a
 * short expiry instead.
 */
export async function redisAcceptsWrites(redis: Redis, key: string): Promise<boolean> {
  try {
    return (await redis.set(key, '1', 'PX', 5000)) === 'OK';
  } catch {
    return false;
  }
}
