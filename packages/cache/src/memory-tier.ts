import { LRUCache } from 'lru-cache';
import type { CacheTier } from './tier.js';

/** Per-process LRU bounded by bytes. */
export class MemoryTier implements CacheTier {
  readonly name = 'memory' as const;
  private readonly lru: LRUCache<string, Buffer>;

  constructor(opts: { maxBytes: number; ttlSeconds?: number }) {
    this.lru = new LRUCache<string, Buffer>({
      maxSize: opts.maxBytes,
      sizeCalculation: (v, k) => v.length + k.length + 64,
      ttl: opts.ttlSeconds ? opts.ttlSeconds * 1000 : 0,
      ttlAutopurge: false,
    });
  }

  /** Synchronous read for the hot path (an API hit never needs a tick). */
  peek(key: string): Buffer | undefined {
    return this.lru.get(key);
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: Buffer, ttlSeconds?: number): Promise<void> {
    this.lru.set(key, value, ttlSeconds ? { ttl: ttlSeconds * 1000 } : undefined);
  }

  async delete(key: string): Promise<void> {
    this.lru.delete(key);
  }

  async clear(): Promise<void> {
    this.lru.clear();
  }

  async close(): Promise<void> {}

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
