import { throttledWarn } from './error-throttle.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logger.js';

/** What `bindCache` needs of a cache (structural, so telemetry does not depend on @tracefleet/cache). */
export interface CacheStatsSource {
  stats(): Record<
    string,
    { state: string } & Partial<
      Record<
        | 'entries'
        | 'bytes'
        | 'evictions'
        | 'corrupt'
        | 'hits'
        | 'misses'
        | 'errors'
        | 'evictionsBroadcast'
        | 'remoteEvictions',
        number
      >
    >
  >;
  setObserver(fn: (tier: string, op: string, outcome: string, seconds: number) => void): void;
}

/** Every metric the fleet exports, created once per process on its own registry. */
export function createMetrics(service: 'api' | 'worker' | 'cli') {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const conversions = new Counter({
    name: 'tracefleet_conversions_total',
    help: 'Conversions by outcome (ok, error code), logo type and the cache tier that answered (miss = traced)',
    labelNames: ['outcome', 'logo_type', 'cache'] as const,
    registers: [registry],
  });
  const conversionSeconds = new Histogram({
    name: 'tracefleet_conversion_duration_seconds',
    help: 'End-to-end conversion time, cold (miss) or cached',
    labelNames: ['cache'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stageSeconds = new Histogram({
    name: 'tracefleet_pipeline_stage_duration_seconds',
    help: 'Time per pipeline stage',
    labelNames: ['stage'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const cacheOps = new Counter({
    name: 'tracefleet_cache_operations_total',
    help: 'Cache lookups per tier and result (hit, miss, error)',
    labelNames: ['tier', 'result'] as const,
    registers: [registry],
  });
  const cacheOpSeconds = new Histogram({
    name: 'tracefleet_cache_operation_duration_seconds',
    help: 'Cache tier operation latency by tier, operation (get, set, purge, …) and outcome (hit, miss, ok, error)',
    labelNames: ['tier', 'op', 'outcome'] as const,
    buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    registers: [registry],
  });
  // Sizes and counters the cache keeps itself (entries, bytes, evictions, corrupt entries, circuit state),
  // read at scrape time from the cache bound with `bindCache`.
  let cacheSource: CacheStatsSource | undefined;
  const cacheState = new Gauge({
    name: 'tracefleet_cache_tier',
    help: 'Per cache tier: entries, bytes, evictions, corrupt (entries dropped on a failed check), hits, misses, errors, circuit_open, evictions_broadcast (evictions announced to every process), remote_evictions (memory entries dropped on such an announcement)',
    labelNames: ['tier', 'stat'] as const,
    registers: [registry],
    collect() {
      if (!cacheSource) return;
      this.reset();
      for (const [tier, s] of Object.entries(cacheSource.stats())) {
        for (const stat of ['entries', 'bytes', 'evictions', 'corrupt', 'hits', 'misses', 'errors'] as const) {
          const v = s[stat];
          if (typeof v === 'number') this.set({ tier, stat }, v);
        }
        if (typeof s.evictionsBroadcast === 'number')
          this.set({ tier, stat: 'evictions_broadcast' }, s.evictionsBroadcast);
        if (typeof s.remoteEvictions === 'number') this.set({ tier, stat: 'remote_evictions' }, s.remoteEvictions);
        this.set({ tier, stat: 'circuit_open' }, s.state === 'closed' ? 0 : 1);
      }
    },
  });
  /** Wires a LayeredCache into the metrics: per-operation latency and the tier gauges. */
  const bindCache = (cache: CacheStatsSource) => {
    cacheSource = cache;
    cache.setObserver((tier, op, outcome, seconds) => {
      cacheOpSeconds.observe({ tier, op, outcome }, seconds);
      if (outcome === 'hit' || outcome === 'miss') cacheOps.inc({ tier, result: outcome });
    });
  };
  const queueJobs = new Gauge({
    name: 'tracefleet_queue_jobs',
    help: 'Jobs in the convert queue by state',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const concurrencyInUse = new Gauge({
    name: 'tracefleet_worker_active_jobs',
    help: 'Jobs this worker is running now',
    registers: [registry],
  });
  return {
    registry,
    conversions,
    conversionSeconds,
    stageSeconds,
    cacheOps,
    cacheOpSeconds,
    cacheState,
    bindCache,
    queueJobs,
    concurrencyInUse,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The cache's error and warning hooks of a service: errors counted per tier and logged, warnings logged. */
export function cacheTierHooks(logger: Logger, metrics: Metrics) {
  // A tier that is down fails on every request: count each, log with backoff.
  const warn = throttledWarn(logger, 'cache tier error');
  return {
    onError: (tier: string, op: string, err: unknown) => {
      metrics.cacheOps.inc({ tier, result: 'error' });
      warn(err, { tier, op });
    },
    onWarning: (message: string, err: Error) => logger.warn({ err: err.message }, message),
  };
}
