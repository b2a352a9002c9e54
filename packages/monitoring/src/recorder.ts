import type { RedisClient } from '@tracefleet/redis';
import { bucketIndex } from './histogram.js';
import { hourOf, minuteOf, monitorKeys } from './keys.js';

/** What the API saw for one conversion request (`cache` is the X-Cache value). */
export interface RequestEvent {
  status: number;
  cache?: string;
  ms: number;
  imageHash?: string;
}

/** What a worker did with one job attempt. */
export interface JobEvent {
  outcome: 'ok' | 'failed' | 'retry';
  /** 'miss' = traced now, `hit-<tier>` = found cached. */
  cache?: string;
  logoType?: string;
  code?: string;
  ms: number;
  imageHash?: string;
}

export type QueueCounts = Partial<Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>>;
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface RecorderOptions {
  prefix: string;
  /** How long minute buckets live (s). */
  retentionSeconds?: number;
  /** How often buffered counts are written to Redis (ms); 0 = only on flush(). */
  flushMs?: number;
  now?: () => number;
}

const safeNames = new Map<string, string>();
/** Field-name-safe label (memoised: the same few tier names and codes come back on every request). */
function safe(s: string): string {
  let v = safeNames.get(s);
  if (v === undefined) {
    v = s.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 40);
    if (safeNames.size < 1000) safeNames.set(s, v);
  }
  return v;
}

/**
 * Per-minute time buckets in Redis, shared by every API and worker process. Recording only bumps
 * in-process counters (a few map updates, nothing on the network), so it costs next to nothing on
 * the cached hot path; a timer adds them to Redis with one pipeline.
 */
export class BucketRecorder {
  private counts = new Map<string, number>();
  private gauges = new Map<string, Record<string, string>>();
  private images = new Map<string, number>();
  private types = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly keys;
  private readonly retention: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly opts: RecorderOptions,
  ) {
    this.keys = monitorKeys(opts.prefix);
    this.retention = opts.retentionSeconds ?? 26 * 3600;
    this.now = opts.now ?? Date.now;
    const flushMs = opts.flushMs ?? 5000;
    if (flushMs > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), flushMs);
      this.timer.unref();
    }
  }

  private bump(field: string, by = 1, at = this.now()): void {
    const k = `${minuteOf(at)}|${field}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + by);
  }

  request(e: RequestEvent, at = this.now()): void {
    if (e.status >= 500) this.bump('req.err', 1, at);
    else if (e.status >= 400) this.bump('req.bad', 1, at);
    else if (e.cache?.startsWith('hit-')) {
      this.bump(`req.hit.${safe(e.cache.slice(4))}`, 1, at);
      this.bump(`lat.cached.${bucketIndex(e.ms)}`, 1, at);
    } else this.bump('req.miss', 1, at);
    if (e.imageHash && e.status < 400) this.images.set(e.imageHash, (this.images.get(e.imageHash) ?? 0) + 1);
  }

  job(e: JobEvent, at = this.now()): void {
    if (e.outcome === 'retry') return this.bump('job.retry', 1, at);
    if (e.outcome === 'failed') {
      this.bump('job.fail', 1, at);
      this.bump(`fail.${safe(e.code ?? 'unknown')}`, 1, at);
      return;
    }
    this.bump('job.ok', 1, at);
    if (e.cache === 'miss') {
      this.bump('job.cold', 1, at);
      this.bump(`lat.cold.${bucketIndex(e.ms)}`, 1, at);
      if (e.logoType) this.bump(`type.${safe(e.logoType)}`, 1, at);
    } else this.bump('job.hit', 1, at);
    if (e.imageHash && e.logoType) this.types.set(e.imageHash, e.logoType);
  }

  /** Queue depth sampled now (last writer of the minute wins: every API reads the same queue). */
  queue(counts: QueueCounts, at = this.now()): void {
    const g: Record<string, string> = {};
    for (const [state, n] of Object.entries(counts)) if (typeof n === 'number') g[`q.${state}`] = String(n);
    this.gauges.set(String(minuteOf(at)), { ...this.gauges.get(String(minuteOf(at))), ...g });
  }

  /** This process's circuit breaker states, one field per process and tier. */
  async circuits(instance: string, states: Record<string, CircuitState>, at = this.now()): Promise<void> {
    const fields: string[] = [];
    for (const [tier, state] of Object.entries(states)) fields.push(`${instance}|${tier}`, `${state}|${at}`);
    if (fields.length) await this.redis.hset(this.keys.circuits, ...fields);
  }

  async flush(): Promise<void> {
    const counts = this.counts;
    const gauges = this.gauges;
    const images = this.images;
    const types = this.types;
    if (!counts.size && !gauges.size && !images.size && !types.size) return;
    this.counts = new Map();
    this.gauges = new Map();
    this.images = new Map();
    this.types = new Map();
    const p = this.redis.pipeline();
    const touched = new Set<string>();
    for (const [k, n] of counts) {
      const [minute, field] = k.split('|', 2);
      const key = this.keys.minute(Number(minute));
      p.hincrby(key, field, n);
      touched.add(key);
    }
    for (const [minute, g] of gauges) {
      const key = this.keys.minute(Number(minute));
      p.hset(key, g);
      touched.add(key);
    }
    for (const key of touched) p.expire(key, this.retention);
    if (images.size) {
      const key = this.keys.images(hourOf(this.now()));
      for (const [hash, n] of images) p.zincrby(key, n, hash);
      p.expire(key, this.retention);
    }
    if (types.size) {
      p.hset(this.keys.types, Object.fromEntries(types));
      p.expire(this.keys.types, 7 * 24 * 3600);
    }
    try {
      await p.exec();
    } catch (err) {
      // Redis away: keep the counts for the next flush rather than lose them.
      for (const [k, n] of counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
  }
}
