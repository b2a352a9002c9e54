import type { RedisClient as Redis } from '@tracefleet/redis';

/**
 * Conversions per API key and fixed window, counted in Redis so every API replica shares them.
 * `take(n)` counts n conversions at once (a batch file by file, a convert as one) and refuses —
 * without counting — what would pass the limit. Reads (job status, SVG) are not conversions.
 */
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local n = tonumber(ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[3]) end
if used + math.max(n, 1) > tonumber(ARGV[2]) then return {0, ttl} end
if n == 0 then return {1, ttl} end
used = redis.call('INCRBY', KEYS[1], n)
if used == n then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, redis.call('PTTL', KEYS[1])}
`;

export interface QuotaAnswer {
  ok: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

export class ConversionQuota {
  constructor(private readonly d: { redis: Redis; prefix: string; windowSeconds: number }) {}

  /** Counts `n` conversions for `name` against `max`; n = 0 only asks whether one more would pass. */
  async take(name: string, max: number, n: number): Promise<QuotaAnswer> {
    const key = `${this.d.prefix}:ratelimit:${name}`;
    const [ok, ttl] = (await this.d.redis.eval(TAKE, 1, key, n, max, this.d.windowSeconds * 1000)) as [number, number];
    return { ok: ok === 1, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
  }
}
