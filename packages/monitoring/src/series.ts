import type { RedisClient } from '@tracefleet/redis';
import { LATENCY_BOUNDS_MS, addCounts } from './histogram.js';
import { hourOf, monitorKeys } from './keys.js';
import type { CircuitState } from './recorder.js';

/** One minute of the whole fleet, parsed from its Redis hash. */
export interface MinuteStats {
  minute: number;
  /** API answers from a cache tier, by tier. */
  hits: Record<string, number>;
  /** API requests that went to the queue. */
  misses: number;
  /** API 5xx answers. */
  errors: number;
  jobsOk: number;
  jobsCold: number;
  jobsFailed: number;
  jobsRetried: number;
  failures: Record<string, number>;
  types: Record<string, number>;
  coldLatency: number[];
  cachedLatency: number[];
  queue?: { waiting: number; active: number; delayed: number; failed: number };
}

export function emptyMinute(minute: number): MinuteStats {
  return {
    minute,
    hits: {},
    misses: 0,
    errors: 0,
    jobsOk: 0,
    jobsCold: 0,
    jobsFailed: 0,
    jobsRetried: 0,
    failures: {},
    types: {},
    coldLatency: [],
    cachedLatency: [],
  };
}

export function parseMinute(minute: number, hash: Record<string, string>): MinuteStats {
  const m = emptyMinute(minute);
  const q: Record<string, number> = {};
  for (const [field, raw] of Object.entries(hash)) {
    const n = Number(raw);
    if (!Number.isFinite(n)) continue;
    const [a, b, c] = field.split('.');
    if (a === 'req' && b === 'hit' && c) m.hits[c] = n;
    else if (field === 'req.miss') m.misses = n;
    else if (field === 'req.err') m.errors = n;
    else if (field === 'job.ok') m.jobsOk = n;
    else if (field === 'job.cold') m.jobsCold = n;
    else if (field === 'job.fail') m.jobsFailed = n;
    else if (field === 'job.retry') m.jobsRetried = n;
    else if (a === 'fail' && b) m.failures[b] = n;
    else if (a === 'type' && b) m.types[b] = n;
    else if (a === 'lat' && c !== undefined) {
      const i = Number(c);
      if (Number.isInteger(i) && i >= 0 && i <= LATENCY_BOUNDS_MS.length)
        (b === 'cold' ? m.coldLatency : m.cachedLatency)[i] = n;
    } else if (a === 'q' && b) q[b] = n;
  }
  for (const arr of [m.coldLatency, m.cachedLatency]) for (let i = 0; i < arr.length; i++) arr[i] ??= 0;
  if (Object.keys(q).length)
    m.queue = { waiting: q.waiting ?? 0, active: q.active ?? 0, delayed: q.delayed ?? 0, failed: q.failed ?? 0 };
  return m;
}

/** Minutes [from, to] inclusive, oldest first; minutes nobody wrote are empty. */
export async function readMinutes(
  redis: RedisClient,
  prefix: string,
  from: number,
  to: number,
): Promise<MinuteStats[]> {
  const keys = monitorKeys(prefix);
  const p = redis.pipeline();
  for (let m = from; m <= to; m++) p.hgetall(keys.minute(m));
  const res = (await p.exec()) ?? [];
  return res.map(([err, hash], i) =>
    err ? emptyMinute(from + i) : parseMinute(from + i, hash as Record<string, string>),
  );
}

/** Sums a window of minutes (queue gauges: the latest minute that has a sample). */
export function totals(minutes: ReadonlyArray<MinuteStats>): MinuteStats {
  const t = emptyMinute(minutes.at(-1)?.minute ?? 0);
  for (const m of minutes) {
    for (const [k, n] of Object.entries(m.hits)) t.hits[k] = (t.hits[k] ?? 0) + n;
    for (const [k, n] of Object.entries(m.failures)) t.failures[k] = (t.failures[k] ?? 0) + n;
    for (const [k, n] of Object.entries(m.types)) t.types[k] = (t.types[k] ?? 0) + n;
    t.misses += m.misses;
    t.errors += m.errors;
    t.jobsOk += m.jobsOk;
    t.jobsCold += m.jobsCold;
    t.jobsFailed += m.jobsFailed;
    t.jobsRetried += m.jobsRetried;
    addCounts(t.coldLatency, m.coldLatency);
    addCounts(t.cachedLatency, m.cachedLatency);
    if (m.queue) t.queue = m.queue;
  }
  return t;
}

export const hitCount = (m: MinuteStats) => Object.values(m.hits).reduce((a, b) => a + b, 0);

/** Hit rate of API conversion requests, undefined with fewer than `min` requests. */
export function hitRate(m: MinuteStats, min = 1): number | undefined {
  const hits = hitCount(m);
  const n = hits + m.misses;
  return n >= min ? hits / n : undefined;
}

export function failureRate(m: MinuteStats, min = 1): number | undefined {
  const n = m.jobsOk + m.jobsFailed;
  return n >= min ? m.jobsFailed / n : undefined;
}

export interface TopImage {
  imageHash: string;
  requests: number;
  logoType?: string;
}

/** The most requested images over the last `hours` hours, with their logo type when a worker saw it. */
export async function readTopImages(
  redis: RedisClient,
  prefix: string,
  now: number,
  hours: number,
  limit: number,
): Promise<TopImage[]> {
  const keys = monitorKeys(prefix);
  const h = hourOf(now);
  const p = redis.pipeline();
  for (let i = 0; i < hours; i++) p.zrevrange(keys.images(h - i), 0, limit * 2, 'WITHSCORES');
  const merged = new Map<string, number>();
  for (const [err, flat] of (await p.exec()) ?? []) {
    if (err) continue;
    const arr = flat as string[];
    for (let i = 0; i + 1 < arr.length; i += 2) merged.set(arr[i], (merged.get(arr[i]) ?? 0) + Number(arr[i + 1]));
  }
  const top = [...merged].sort((a, b) => b[1] - a[1]).slice(0, limit);
  const types = top.length ? await redis.hmget(keys.types, ...top.map(([hash]) => hash)) : [];
  return top.map(([imageHash, requests], i) => ({ imageHash, requests, logoType: types[i] ?? undefined }));
}

export interface CircuitReport {
  instance: string;
  tier: string;
  state: CircuitState;
  at: number;
}

/** Breaker states reported within `freshMs` (older reports belong to processes that went away). */
export async function readCircuits(
  redis: RedisClient,
  prefix: string,
  now: number,
  freshMs = 60_000,
): Promise<CircuitReport[]> {
  const all = await redis.hgetall(monitorKeys(prefix).circuits);
  const out: CircuitReport[] = [];
  const stale: string[] = [];
  for (const [field, value] of Object.entries(all)) {
    const [instance, tier] = field.split('|');
    const [state, at] = value.split('|');
    if (now - Number(at) > freshMs) stale.push(field);
    else out.push({ instance, tier, state: state as CircuitState, at: Number(at) });
  }
  if (stale.length) await redis.hdel(monitorKeys(prefix).circuits, ...stale);
  return out;
}
