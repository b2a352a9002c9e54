import type { RedisClient as Redis } from '@tracefleet/redis';

/**
 * Uploaded bytes waiting for a worker, one Redis string per job (`<prefix>:upload:<job id>`), with
 * their sizes accounted so the pending total can be held under a budget: an upload past it is refused
 * before Redis itself runs out of memory. Bytes are released when their job completes or fails for
 * good, and expire after `ttlSeconds` otherwise (a job lost to a crash does not keep them).
 *
 * Bookkeeping: `<prefix>:uploads` (sorted set: upload key → expiry ms), `<prefix>:uploads:size`
 * (hash: upload key → bytes) and `<prefix>:uploads:total` (their sum). Expired entries are swept from
 * the accounting by the next store. All keys derive from the prefix (one hash slot with a `{…}` prefix).
 */
const STORE = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[3], 'LIMIT', 0, 100)
for _, k in ipairs(expired) do
  local size = redis.call('HGET', KEYS[3], k)
  if size then
    redis.call('DECRBY', KEYS[4], size)
    redis.call('HDEL', KEYS[3], k)
  end
  redis.call('ZREM', KEYS[2], k)
end
local expiry = tonumber(ARGV[3]) + tonumber(ARGV[2]) * 1000
if redis.call('HEXISTS', KEYS[3], KEYS[1]) == 1 then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  redis.call('ZADD', KEYS[2], expiry, KEYS[1])
  return 1
end
local size = string.len(ARGV[1])
local total = tonumber(redis.call('GET', KEYS[4]) or '0')
if total + size > tonumber(ARGV[4]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('ZADD', KEYS[2], expiry, KEYS[1])
redis.call('HSET', KEYS[3], KEYS[1], size)
redis.call('INCRBY', KEYS[4], size)
return 1
`;

// Releasing only frees memory, so it may run while Redis refuses writes for lack of it.
const RELEASE = `#!lua flags=allow-oom
local size = redis.call('HGET', KEYS[3], KEYS[1])
if size then
  redis.call('DECRBY', KEYS[4], size)
  redis.call('HDEL', KEYS[3], KEYS[1])
end
redis.call('ZREM', KEYS[2], KEYS[1])
return redis.call('DEL', KEYS[1])
`;

export interface UploadStoreOptions {
  prefix: string;
  ttlSeconds: number;
  /** Most pending upload bytes; Infinity = unbounded. */
  budgetBytes: number;
}

export class UploadStore {
  constructor(
    private readonly redis: Redis,
    private readonly o: UploadStoreOptions,
  ) {}

  keyFor(jobId: string): string {
    return `${this.o.prefix}:upload:${jobId}`;
  }

  private books(key: string): string[] {
    const p = this.o.prefix;
    return [key, `${p}:uploads`, `${p}:uploads:size`, `${p}:uploads:total`];
  }

  /** Stores (or refreshes) the bytes; false when they would take the pending total past the budget. */
  async store(key: string, bytes: Uint8Array): Promise<boolean> {
    const budget = Number.isFinite(this.o.budgetBytes) ? this.o.budgetBytes : Number.MAX_SAFE_INTEGER;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const ok = await this.redis.eval(STORE, 4, ...this.books(key), buf, this.o.ttlSeconds, Date.now(), budget);
    return ok === 1;
  }

  load(key: string): Promise<Buffer | null> {
    return this.redis.getBuffer(key);
  }

  /** Deletes the bytes and their accounting (any key, also one of an older layout). */
  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 4, ...this.books(key));
  }

  /** Bytes currently accounted as pending. */
  async pendingBytes(): Promise<number> {
    return Number((await this.redis.get(`${this.o.prefix}:uploads:total`)) ?? 0);
  }
}
