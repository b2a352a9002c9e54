import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { duplicateAs, isCluster, masters, nodeId, type RedisClient } from '@tracefleet/redis';
import {
  KEY_EVENTS,
  enableKeyEvents,
  keyEventChannel,
  keyEventOf,
  type KeyEvent,
  type KeyEventsConfigError,
  type KeyEventsSetup,
} from './keyspace-events.js';
import type { PurgeFilter } from './tier.js';

/** `evict`: keys another process saw leave a tier by themselves, batched (see eviction-broadcast.ts). */
export type CacheEvent =
  { op: 'delete'; key: string } | { op: 'purge'; filter: PurgeFilter } | { op: 'evict'; keys: string[] };

/** The invalidation channel of a cache key prefix (CACHE_PREFIX): `<prefix>:events`. */
export const cacheChannel = (cachePrefix: string) => `${cachePrefix}:events`;

export const CACHE_CHANNEL = cacheChannel('tracefleet:cache');

/**
 * Invalidation broadcast over Redis pub/sub: a delete or purge in one process is applied to the
 * per-process and per-host tiers (memory, disk) of every other process, an eviction to their memory
 * tier. Delivery is at most once (pub/sub); entries missed while disconnected still age out by TTL,
 * and keys carry the pipeline version, so a lost message can delay a purge but never serve a result
 * of another pipeline. A process ignores its own messages.
 *
 * The same subscriber connection can also listen to Redis's own expiry/eviction announcements
 * (`watchKeyEvents`). On a Redis Cluster, PUBLISH reaches every node, so one subscriber gets the
 * channel; key events stay on the node of the key, so each master gets a subscriber of its own.
 */
export class CacheBus {
  readonly id = randomUUID();
  private readonly sub: RedisClient;
  /** Cluster only: key-event subscribers, one per master (`host:port`). */
  private readonly nodeSubs = new Map<string, Redis>();
  private readonly handlers: Array<(ev: CacheEvent) => void> = [];
  private readonly keyHandlers: Array<(event: KeyEvent, redisKey: string) => void> = [];
  private readonly pending: Array<Promise<unknown>> = [];
  private watching = false;
  private refusalReported = false;

  constructor(
    private readonly pub: RedisClient,
    readonly channel = CACHE_CHANNEL,
  ) {
    // The subscriber must queue while (re)connecting: ioredis re-subscribes after a reconnect
    // (and, through Sentinel, on the new master).
    this.sub = duplicateAs(pub, 'subscriber', { connectionName: 'tracefleet-cache-bus' });
    this.sub.on('message', this.onMessage);
    this.pending.push(this.sub.subscribe(channel).catch(() => undefined));
  }

  private readonly onMessage = (ch: string, raw: string) => {
    if (ch === this.channel) return this.deliver(raw);
    const event = keyEventOf(ch);
    if (event) for (const h of this.keyHandlers) h(event, raw);
  };

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
    const report = (r: KeyEventsSetup) => {
      if (!r.ok && !this.refusalReported) {
        this.refusalReported = true;
        onRefused(r.error);
      }
    };
    if (isCluster(this.pub)) return this.watchMasters(this.pub, report);
    const configure = () => enableKeyEvents(this.pub as Redis).then(report);
    this.pending.push(this.watchNode(this.sub as Redis, configure));
  }

  /**
   * Subscribes `sub` to the key-event channels and sets the flags on its node now and at every
   * reconnect (a restarted or newly promoted Redis has not got them). Resolves after the first try.
   */
  private watchNode(sub: Redis, configure: () => Promise<void>): Promise<void> {
    let tried!: () => void;
    const first = new Promise<void>((resolve) => (tried = resolve));
    const run = () => void configure().finally(tried);
    sub.on('ready', run);
    if (sub.status === 'ready') run();
    const db = sub.options.db ?? 0;
    const subscribed = sub.subscribe(...KEY_EVENTS.map((e) => keyEventChannel(db, e))).catch(() => undefined);
    return Promise.all([first, subscribed]).then(() => undefined);
  }

  /** One key-event subscriber per cluster master, kept in step with the topology. */
  private watchMasters(cluster: RedisClient, report: (r: KeyEventsSetup) => void): void {
    const sync = () => {
      const current = masters(cluster);
      const ids = new Set(current.map(nodeId));
      for (const [id, sub] of this.nodeSubs)
        if (!ids.has(id)) {
          sub.disconnect();
          this.nodeSubs.delete(id);
        }
      const started: Array<Promise<void>> = [];
      for (const node of current) {
        const id = nodeId(node);
        if (this.nodeSubs.has(id)) continue;
        const sub = duplicateAs(node, 'subscriber', { connectionName: 'tracefleet-cache-keyevents' }) as Redis;
        sub.on('message', this.onMessage);
        this.nodeSubs.set(id, sub);
        started.push(this.watchNode(sub, () => enableKeyEvents(sub).then(report)));
      }
      return Promise.all(started).then(() => undefined);
    };
    const first = new Promise<void>((resolve) => {
      if (cluster.status === 'ready') return void sync().then(resolve);
      cluster.once('ready', () => void sync().then(resolve));
    });
    this.pending.push(first);
    cluster.on('refresh', () => void sync());
  }

  async publish(ev: CacheEvent): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify({ ...ev, from: this.id }));
  }

  async close(): Promise<void> {
    this.sub.disconnect();
    for (const sub of this.nodeSubs.values()) sub.disconnect();
    this.nodeSubs.clear();
  }
}
