import type { RedisClient } from '@tracefleet/redis';
import type { ActiveAlert, AlertEngine } from './alerts.js';
import { quantile } from './histogram.js';
import { minuteOf } from './keys.js';
import {
  failureRate,
  hitCount,
  hitRate,
  readCircuits,
  readMinutes,
  readTopImages,
  totals,
  type CircuitReport,
  type TopImage,
} from './series.js';

export interface DashboardPoint {
  /** Start of the minute (epoch ms). */
  t: number;
  hits: Record<string, number>;
  misses: number;
  errors: number;
  jobsOk: number;
  jobsFailed: number;
  coldP50?: number;
  coldP95?: number;
  cachedP50?: number;
  cachedP95?: number;
  waiting?: number;
  active?: number;
  failureRate?: number;
}

export interface DashboardData {
  generatedAt: number;
  minutes: number;
  tiers: string[];
  series: DashboardPoint[];
  totals: {
    requests: number;
    hits: Record<string, number>;
    misses: number;
    hitRate?: number;
    jobsOk: number;
    jobsFailed: number;
    failureRate?: number;
    failures: Record<string, number>;
    coldP50?: number;
    coldP95?: number;
    cachedP50?: number;
    cachedP95?: number;
  };
  logoTypes: Record<string, number>;
  topImages: TopImage[];
  circuits: CircuitReport[];
  alerts: ActiveAlert[];
}

const r2 = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);

/** Everything `/admin/dashboard` draws, computed from the shared buckets (the same for every API instance). */
export async function buildDashboard(
  redis: RedisClient,
  prefix: string,
  opts: { now?: number; minutes?: number; alerts?: AlertEngine; topImages?: number } = {},
): Promise<DashboardData> {
  const now = opts.now ?? Date.now();
  const span = Math.min(24 * 60, Math.max(5, opts.minutes ?? 180));
  const to = minuteOf(now);
  const [minutes, topImages, circuits, alerts] = await Promise.all([
    readMinutes(redis, prefix, to - span + 1, to),
    readTopImages(redis, prefix, now, Math.ceil(span / 60) + 1, opts.topImages ?? 10),
    readCircuits(redis, prefix, now),
    opts.alerts ? opts.alerts.active() : Promise.resolve([]),
  ]);
  const tiers = new Set<string>();
  const series: DashboardPoint[] = minutes.map((m) => {
    for (const k of Object.keys(m.hits)) tiers.add(k);
    return {
      t: m.minute * 60_000,
      hits: m.hits,
      misses: m.misses,
      errors: m.errors,
      jobsOk: m.jobsOk,
      jobsFailed: m.jobsFailed,
      coldP50: r2(quantile(m.coldLatency, 0.5)),
      coldP95: r2(quantile(m.coldLatency, 0.95)),
      cachedP50: r2(quantile(m.cachedLatency, 0.5)),
      cachedP95: r2(quantile(m.cachedLatency, 0.95)),
      waiting: m.queue?.waiting,
      active: m.queue?.active,
      failureRate: failureRate(m),
    };
  });
  const t = totals(minutes);
  return {
    generatedAt: now,
    minutes: span,
    tiers: [...tiers].sort(),
    series,
    totals: {
      requests: hitCount(t) + t.misses,
      hits: t.hits,
      misses: t.misses,
      hitRate: hitRate(t),
      jobsOk: t.jobsOk,
      jobsFailed: t.jobsFailed,
      failureRate: failureRate(t),
      failures: t.failures,
      coldP50: r2(quantile(t.coldLatency, 0.5)),
      coldP95: r2(quantile(t.coldLatency, 0.95)),
      cachedP50: r2(quantile(t.cachedLatency, 0.5)),
      cachedP95: r2(quantile(t.cachedLatency, 0.95)),
    },
    logoTypes: t.types,
    topImages,
    circuits,
    alerts,
  };
}
