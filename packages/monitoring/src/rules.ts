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
  /** p99 event-loop lag of a process above this (ms); Prometheus only (no ALERT_* variable). */
  eventLoopLagP99Ms: number;
  /** Minutes the rules look at. */
  windowMinutes: number;
  /** Minutes before the window that make the hit-rate baseline. */
  baselineMinutes: number;
  /** Fewer observations than this in the window never fire a rate or percentile rule. */
  minSamples: number;
}

/**
 * The one place for the thresholds: the in-process rules' defaults and the numbers in the generated
 * Prometheus rules. The values are the defaults of the ALERT_* variables (a test checks they agree).
 */
export const DEFAULT_THRESHOLDS: AlertThresholds = {
  coldP95Ms: 10_000,
  cachedP95Ms: 50,
  hitRateDrop: 0.25,
  queueBacklog: 100,
  failureRate: 0.1,
  eventLoopLagP99Ms: 200,
  windowMinutes: 5,
  baselineMinutes: 60,
  minSamples: 5,
};

export interface AlertInput {
  /** Consecutive minutes, oldest first, the last one being now. */
  minutes: ReadonlyArray<MinuteStats>;
  circuits: ReadonlyArray<CircuitReport>;
}

export type AlertSeverity = 'warning' | 'critical';

export interface AlertCondition {
  id: string;
  severity: AlertSeverity;
  summary: string;
  value: number;
  threshold: number;
}

/** What an in-process evaluation found; the rule adds its id and severity. */
export type AlertFinding = Omit<AlertCondition, 'id' | 'severity'>;

/** The rule as a Prometheus alerting rule over the fleet's /metrics. */
export interface PrometheusForm {
  /** PromQL, built from the thresholds; may span lines. */
  expr(t: AlertThresholds): string;
  /** How long the expression must hold before the alert fires (Prometheus duration). */
  for: string;
  /** The `summary` annotation (Prometheus template). */
  summary(t: AlertThresholds): string;
  /** A comment written above the expression in the generated file. */
  note?: string;
}

/**
 * One alert rule, defined once: the API evaluates it in-process on the shared buckets (when it has
 * `evaluate`), and `pnpm alerts:generate` writes its Prometheus form to infra/prometheus/alerts.yml.
 * Its runbook is the `### <id>` section of docs/operations.md (see `runbookOf`).
 */
export interface AlertRule {
  id: string;
  severity: AlertSeverity;
  description: string;
  prometheus: PrometheusForm;
  /** In-process evaluation; absent for rules on data only Prometheus has (process metrics). */
  evaluate?(input: AlertInput, t: AlertThresholds): AlertFinding | undefined;
}

/** Where a rule's runbook is (GitHub's anchor of the `### <id>` heading). */
export const runbookOf = (rule: Pick<AlertRule, 'id'>) => `docs/operations.md#${rule.id.toLowerCase()}`;

const windowOf = (input: AlertInput, t: AlertThresholds) => input.minutes.slice(-t.windowMinutes);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Minutes as a PromQL duration: 5 → `5m`, 60 → `1h`. */
const dur = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`);
/** Milliseconds as the seconds the metrics are in. */
const sec = (ms: number) => ms / 1000;
/** A period in words: 60 → `hour`, 30 → `30 min`. */
const period = (minutes: number) => (minutes === 60 ? 'hour' : `${minutes} min`);

/** p95 of the conversion latency histogram of one service and cache outcome over the window. */
const p95 = (selector: string, t: AlertThresholds) =>
  `histogram_quantile(0.95, sum by (le) (rate(tracefleet_conversion_duration_seconds_bucket{${selector}}[${dur(t.windowMinutes)}])))`;
const CONVERSIONS = 'tracefleet_conversions_total';
const HITS = `${CONVERSIONS}{service="api", cache=~"hit-.*"}`;
const COLD_OK = `${CONVERSIONS}{service="worker", cache="miss", outcome="ok"}`;
/** Hits / (hits + cold conversions) over `range` (a range selector and offset, e.g. `[5m]`). */
const hitShare = (range: string) =>
  `sum(rate(${HITS}${range}))\n` + `  / clamp_min(sum(rate(${HITS}${range})) + sum(rate(${COLD_OK}${range})), 1e-9)`;
const indent = (s: string, by = '  ') => s.replace(/^/gm, by);
const WAITING = 'max(tracefleet_queue_jobs{state="waiting"})';

/** Every alert rule of the fleet, in the order of the generated file. */
export const ALERT_RULES: readonly AlertRule[] = [
  {
    id: 'ColdP95High',
    severity: 'warning',
    description: 'p95 of cold conversions above the threshold',
    prometheus: {
      expr: (t) => `${p95('service="worker", cache="miss"', t)} > ${sec(t.coldP95Ms)}`,
      for: '2m',
      summary: (t) =>
        `Cold conversions p95 {{ $value | humanizeDuration }} (> ${sec(t.coldP95Ms)} s over ${t.windowMinutes} min)`,
    },
    evaluate(input, t) {
      const w = totals(windowOf(input, t));
      if (w.jobsCold < t.minSamples) return undefined;
      const p95 = quantile(w.coldLatency, 0.95)!;
      return p95 > t.coldP95Ms
        ? {
            summary: `cold p95 ${Math.round(p95)} ms > ${t.coldP95Ms} ms over ${t.windowMinutes} min`,
            value: round(p95),
            threshold: t.coldP95Ms,
          }
        : undefined;
    },
  },
  {
    id: 'CachedP95High',
    severity: 'warning',
    description: 'p95 of cached answers above the threshold',
    prometheus: {
      expr: (t) => `${p95('service="api", cache="hit"', t)} > ${sec(t.cachedP95Ms)}`,
      for: '2m',
      summary: (t) =>
        `Cached answers p95 {{ $value | humanizeDuration }} (> ${t.cachedP95Ms} ms over ${t.windowMinutes} min)`,
    },
    evaluate(input, t) {
      const w = totals(windowOf(input, t));
      const n = w.cachedLatency.reduce((a, b) => a + b, 0);
      if (n < t.minSamples) return undefined;
      const p95 = quantile(w.cachedLatency, 0.95)!;
      return p95 > t.cachedP95Ms
        ? {
            summary: `cached p95 ${round(p95, 2)} ms > ${t.cachedP95Ms} ms over ${t.windowMinutes} min`,
            value: round(p95, 2),
            threshold: t.cachedP95Ms,
          }
        : undefined;
    },
  },
  {
    id: 'HitRateDrop',
    severity: 'warning',
    description: 'cache hit rate fell below its own trailing baseline',
    prometheus: {
      // The baseline is the `baselineMinutes` before the window, as in-process.
      expr: (t) =>
        [
          '(',
          indent(hitShare(`[${dur(t.baselineMinutes)}] offset ${dur(t.windowMinutes)}`)),
          ')',
          '-',
          '(',
          indent(hitShare(`[${dur(t.windowMinutes)}]`)),
          ')',
          `> ${t.hitRateDrop}`,
        ].join('\n'),
      for: '5m',
      summary: (t) =>
        `Cache hit rate fell {{ $value | humanizePercentage }} below its trailing ${period(t.baselineMinutes)}`,
      note: 'Hits are answered by the API; misses are traced by workers. Compared with the hour before.',
    },
    evaluate(input, t) {
      const now = hitRate(totals(windowOf(input, t)), t.minSamples);
      const before = input.minutes.slice(-(t.windowMinutes + t.baselineMinutes), -t.windowMinutes);
      const base = hitRate(totals(before), t.minSamples);
      if (now === undefined || base === undefined) return undefined;
      return base - now > t.hitRateDrop
        ? {
            summary: `hit rate ${Math.round(now * 100)} % vs baseline ${Math.round(base * 100)} %`,
            value: round(now, 3),
            threshold: round(base - t.hitRateDrop, 3),
          }
        : undefined;
    },
  },
  {
    id: 'QueueBacklogGrowing',
    severity: 'warning',
    description: 'waiting jobs above the threshold and growing',
    prometheus: {
      expr: (t) => `${WAITING} > ${t.queueBacklog}\nand deriv(${WAITING}[${dur(t.windowMinutes)}:30s]) > 0`,
      for: '5m',
      summary: () => '{{ $value }} jobs waiting and growing',
    },
    evaluate(input, t) {
      const samples = windowOf(input, t)
        .filter((m) => m.queue)
        .map((m) => m.queue!.waiting);
      if (samples.length < 2) return undefined;
      const last = samples.at(-1)!;
      return last > t.queueBacklog && last > samples[0]
        ? {
            summary: `${last} jobs waiting (was ${samples[0]}), threshold ${t.queueBacklog}`,
            value: last,
            threshold: t.queueBacklog,
          }
        : undefined;
    },
  },
  {
    id: 'FailureRateHigh',
    severity: 'critical',
    description: 'failed share of finished jobs above the threshold',
    prometheus: {
      expr: (t) =>
        `sum(rate(${CONVERSIONS}{service="worker", outcome!="ok"}[${dur(t.windowMinutes)}]))\n` +
        `  / clamp_min(sum(rate(${CONVERSIONS}{service="worker"}[${dur(t.windowMinutes)}])), 1e-9)\n` +
        `> ${t.failureRate}`,
      for: '2m',
      summary: (t) => `{{ $value | humanizePercentage }} of job attempts failed over ${t.windowMinutes} min`,
    },
    evaluate(input, t) {
      const rate = failureRate(totals(windowOf(input, t)), t.minSamples);
      return rate !== undefined && rate > t.failureRate
        ? {
            summary: `${Math.round(rate * 100)} % of jobs failed over ${t.windowMinutes} min`,
            value: round(rate, 3),
            threshold: t.failureRate,
          }
        : undefined;
    },
  },
  {
    id: 'CacheCircuitOpen',
    severity: 'critical',
    description: "a cache tier's circuit breaker is open",
    prometheus: {
      expr: () => 'max by (tier) (tracefleet_cache_tier{stat="circuit_open"}) > 0',
      for: '1m',
      summary: () => 'Circuit breaker of cache tier {{ $labels.tier }} is open',
    },
    evaluate(input) {
      const open = input.circuits.filter((c) => c.state === 'open');
      if (!open.length) return undefined;
      const tiers = [...new Set(open.map((c) => c.tier))].sort();
      return {
        summary: `circuit open for cache tier ${tiers.join(', ')} (${open.length} process${open.length > 1 ? 'es' : ''})`,
        value: open.length,
        threshold: 0,
      };
    },
  },
  {
    id: 'EventLoopLagHigh',
    severity: 'warning',
    description: "a process's p99 event-loop lag above the threshold (Prometheus only)",
    prometheus: {
      expr: (t) => `max by (service, instance) (nodejs_eventloop_lag_p99_seconds) > ${sec(t.eventLoopLagP99Ms)}`,
      for: '5m',
      summary: () => '{{ $labels.service }} {{ $labels.instance }} event loop lag p99 {{ $value | humanizeDuration }}',
    },
  },
];

/** The rules the API evaluates in-process, and the conditions that hold now. */
export function evaluateRules(input: AlertInput, t: AlertThresholds = DEFAULT_THRESHOLDS): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const rule of ALERT_RULES) {
    const found = rule.evaluate?.(input, t);
    if (found) conditions.push({ id: rule.id, severity: rule.severity, ...found });
  }
  return conditions;
}
