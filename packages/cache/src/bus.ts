import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PurgeFilter } from './tier.js';

export type CacheEvent = { op: 'delete'; key: string } | { op: 'purge'; filter: PurgeFilter };

export const CACHE_CHANNEL = 'tracefleet:cache:events';

/**
 * Invalidation broadcast over Redis pub/sub: a delete or purge in one process is applied to the
 * per-process and per-host tiers (memory, disk) of every other process. Delivery is at most once
 * (pub/sub); entries missed while disconnected still age out by TTL, and keys carry the pipeline
 * version, so a lost message can delay a purge but never serve a result of another pipeline.
 */
export class CacheBus {
  readonly id = randomUUID();
  private readonly sub: Redis;
  private readonly handlers: Array<(ev: CacheEvent) => void> = [];
  readonly ready: Promise<void>;

  constructor(private readonly pub: Redis, readonly channel = CACHE_CHANNEL) {
    // The subscriber must queue while (re)connecting: ioredis re-subscribes after a reconnect.
    this.sub = pub.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, connectionName: 'tracefleet-cache-bus' });
    this.sub.on('error', () => undefined);
    this.sub.on('message', (_ch: string, raw: string) => {
      let msg: CacheEvent & { from?: string };
      try {
        msg = JSON.parse(raw) as CacheEvent & { from?: string };
      } catch {
        return;
      }
      if (msg.from === this.id) return;
      for (const h of this.handlers) h(msg);
    });
    this.ready = this.sub.subscribe(channel).then(
      () => undefined,
      () => undefined,
    );
  }

  onEvent(fn: (ev: CacheEvent) => void): void {
    this.handlers.push(fn);
  }

  async publish(ev: CacheEvent): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify({ ...ev, from: this.id }));
  }

  async close(): Promise<void> {
    this.sub.disconnect();
  }
}
