import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  KEY_EVENTS,
  enableKeyEvents,
  keyEventChannel,
  keyEventOf,
  type KeyEvent,
  type KeyEventsConfigError,
} from './keyspace-events.js';
import type { PurgeFilter } from './tier.js';

/** `evict`: keys another process saw leave a tier by themselves, batched (see eviction-broadcast.ts). */
export type CacheEvent =
  { op: 'delete'; key: string } | { op: 'purge'; filter: PurgeFilter } | { op: 'evict'; keys: string[] };

export const CACHE_CHANNEL = 'tracefleet:cache:events';

/**
 * Invalidation broadcast over Redis pub/sub: a delete or purge in one process is applied to the
 * per-process and per-host tiers (memory, disk) of every other process, an eviction to their memory
 * tier. Delivery is at most once (pub/sub); entries missed while disconnected still age out by TTL,
 * and keys carry the pipeline version, so a lost message can delay a purge but never serve a result
 * of another pipeline. A process ignores its own messages.
 *
 * The same subscriber connection can also listen to Redis's own expiry/eviction announcements
 * (`watchKeyEvents`).
 */
export class CacheBus {
  readonly id = randomUUID();
  private readonly sub: Redis;
  private readonly handlers: Array<(ev: CacheEvent) => void> = [];
  private readonly keyHandlers: Array<(event: KeyEvent, redisKey: string) => void> = [];
  private readonly pending: Array<Promise<unknown>> = [];
  private watching = false;
  private refusalReported = false;

  constructor(
    private readonly pub: Redis,
    readonly channel = CACHE_CHANNEL,
  ) {
    // The subscriber must queue while (re)connecting: ioredis re-subscribes after a reconnect.
    this.sub = pub.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: undefined,
      connectionName: 'tracefleet-cache-bus',
    });
    this.sub.on('error', () => undefined);
    this.sub.on('message', (ch: string, raw: string) => {
      if (ch === channel) return this.deliver(raw);
      const event = keyEventOf(ch);
      if (event) for (const h of this.keyHandlers) h(event, raw);
    });
    this.pending.push(this.sub.subscribe(channel).catch(() => undefined));
  }

  private deliver(raw: string): void {
    let msg: CacheEvent & { from?: string };
    try {
      msg = JSON.parse(raw) as CacheEvent & { from?: string };
    } catch {
      return;
    }
    if (msg.from === this.id) return;
    for (const h of this.handlers) h(msg);
  }

  /** Resolves once the subscriptions are in place (and the first keyspace set-up was tried). */
  get ready(): Promise<void> {
    return Promise.all(this.pending).then(() => undefined);
  }

  onEvent(fn: (ev: CacheEvent) => void): void {
    this.handlers.push(fn);
  }

  /**
   * Listens to Redis's expired/evicted key events of this connection's database. Asks Redis for them
   * (CONFIG SET) at every (re)connect, since a restarted Redis forgets a CONFIG SET; `onRefused` is
   * called once per process if Redis refuses, and the subscription stays (the flags may be set in
   * the server configuration instead).
   */
  watchKeyEvents(
    fn: (event: KeyEvent, redisKey: string) => void,
    onRefused: (err: KeyEventsConfigError) => void,
  ): void {
    this.keyHandlers.push(fn);
    if (this.watching) return;
    this.watching = true;
    let tried!: () => void;
    this.pending.push(new Promise<void>((resolve) => (tried = resolve)));
    const configure = () =>
      void enableKeyEvents(this.pub)
        .then((r) => {
          if (!r.ok && !this.refusalReported) {
            this.refusalReported = true;
            onRefused(r.error);
          }
        })
        .finally(tried);
    this.sub.on('ready', configure);
    if (this.sub.status === 'ready') configure();
    const db = this.pub.options.db ?? 0;
    this.pending.push(this.sub.subscribe(...KEY_EVENTS.map((e) => keyEventChannel(db, e))).catch(() => undefined));
  }

  async publish(ev: CacheEvent): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify({ ...ev, from: this.id }));
  }

  async close(): Promise<void> {
    this.sub.disconnect();
  }
}
