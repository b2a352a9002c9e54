import { quantile } from './histogram.js';
import { failureRate, hitRate, totals, type CircuitReport, type MinuteStats } from './series.js';

export interface AlertThresholds {
  /** Cold conversions (traced by a worker): p95 above this (ms). */
  coldP95Ms: number;
  /** Cached answers at the API: p95 above this (ms). */
  cachedP95Ms: number;
  /** Hit rate lower than its trailing baseline by more than this (0..1, absolute). */
  hitRateDrop: number;
  /** Waiting jobs above this and still growing. */
  queueBacklog: number;
  /** Failed share of finished jobs above this (0..1). */
  failureRate: number;
  /** Minutes the rules look at. */
  windowMinutes: number;
  /** Minutes before the window that make the hit-rate baseline. */
  baselineMinutes: number;
  /** Fewer observations than this in the window never fire a rate or percentile rule. */
  minSamples: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  coldP95Ms: 10_000,
  cachedP95Ms: 50,
  hitRateDrop: 0.25,
  queueBacklog: 100,
  failureRate: 0.1,
  windowMinutes: 5,
  baselineMinutes: 60,
  minSamples: 5,
};

export interface AlertInput {
  /** Consecutive minutes, oldest first, the last one being now. */
  minutes: ReadonlyArray<MinuteStats>;
  circuits: ReadonlyArray<CircuitReport>;
}

export interface AlertCondition {
  id: string;
  severity: 'warning' | 'critical';
  summary: string;
  value: number;
  threshold: number;
}

export interface AlertRule {
  id: string;
  description: string;
  evaluate(input: AlertInput, t: AlertThresholds): AlertCondition | undefined;
}

const windowOf = (input: AlertInput, t: AlertThresholds) => input.minutes.slice(-t.windowMinutes);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** The rules, evaluated in-process on the shared buckets; the same rules ship as Prometheus alerting rules. */
export const ALERT_RULES: readonly AlertRule[] = [
  {
    id: 'ColdP95High',
    description: 'p95 of cold conversions above the threshold',
    evaluate(input, t) {
      const w = totals(windowOf(input, t));
      if (w.jobsCold < t.minSamples) return undefined;
      const p95 = quantile(w.coldLatency, 0.95)!;
      return p95 > t.coldP95Ms
        ? {
            id: this.id,
            severity: 'warning',
            summary: `cold p95 ${Math.round(p95)} ms > ${t.coldP95Ms} ms over ${t.windowMinutes} min`,
            value: round(p95),
            threshold: t.coldP95Ms,
          }
        : undefined;
    },
  },
  {
    id: 'CachedP95High',
    description: 'p95 of cached answers above the threshold',
    evaluate(input, t) {
      const w = totals(windowOf(input, t));
      const n = w.cachedLatency.reduce((a, b) => a + b, 0);
      if (n < t.minSamples) return undefined;
      const p95 = quantile(w.cachedLatency, 0.95)!;
      return p95 > t.cachedP95Ms
        ? {
            id: this.id,
            severity: 'warning',
            summary: `cached p95 ${round(p95, 2)} ms > ${t.cachedP95Ms} ms over ${t.windowMinutes} min`,
            value: round(p95, 2),
            threshold: t.cachedP95Ms,
          }
        : undefined;
    },
  },
  {
    id: 'HitRateDrop',
    description: 'cache hit rate fell below its own trailing baseline',
    evaluate(input, t) {
      const now = hitRate(totals(windowOf(input, t)), t.minSamples);
      const before = input.minutes.slice(-(t.windowMinutes + t.baselineMinutes), -t.windowMinutes);
      const base = hitRate(totals(before), t.minSamples);
      if (now === undefined || base === undefined) return undefined;
      return base - now > t.hitRateDrop
        ? {
            id: this.id,
            severity: 'warning',
            summary: `hit rate ${Math.round(now * 100)} % vs baseline ${Math.round(base * 100)} %`,
            value: round(now, 3),
            threshold: round(base - t.hitRateDrop, 3),
          }
        : undefined;
    },
  },
  {
    id: 'QueueBacklogGrowing',
    description: 'waiting jobs above the threshold and growing',
    evaluate(input, t) {
      const samples = windowOf(input, t)
        .filter((m) => m.queue)
        .map((m) => m.queue!.waiting);
      if (samples.length < 2) return undefined;
      const last = samples.at(-1)!;
      return last > t.queueBacklog && last > samples[0]
        ? {
            id: this.id,
            severity: 'warning',
            summary: `${last} jobs waiting (was ${samples[0]}), threshold ${t.queueBacklog}`,
            value: last,
            threshold: t.queueBacklog,
          }
        : undefined;
    },
  },
  {
    id: 'FailureRateHigh',
    description: 'failed share of finished jobs above the threshold',
    evaluate(input, t) {
      const rate = failureRate(totals(windowOf(input, t)), t.minSamples);
      return rate !== undefined && rate > t.failureRate
        ? {
            id: this.id,
            severity: 'critical',
            summary: `${Math.round(rate * 100)} % of jobs failed over ${t.windowMinutes} min`,
            value: round(rate, 3),
            threshold: t.failureRate,
          }
        : undefined;
    },
  },
  {
    id: 'CacheCircuitOpen',
    description: "a cache tier's circuit breaker is open",
    evaluate(input) {
      const open = input.circuits.filter((c) => c.state === 'open');
      if (!open.length) return undefined;
      const tiers = [...new Set(open.map((c) => c.tier))].sort();
      return {
        id: this.id,
        severity: 'critical',
        summary: `circuit open for cache tier ${tiers.join(', ')} (${open.length} process${open.length > 1 ? 'es' : ''})`,
        value: open.length,
        threshold: 0,
      };
    },
  },
];

export function evaluateRules(input: AlertInput, t: AlertThresholds = DEFAULT_THRESHOLDS): AlertCondition[] {
  return ALERT_RULES.map((r) => r.evaluate(input, t)).filter((c): c is AlertCondition => c !== undefined);
}
