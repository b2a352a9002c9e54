import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
  const queueJobs = new Gauge({
    name: 'tracefleet_queue_jobs',
    help: 'Jobs in the convert queue by state',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const concurrencyInUse = new Gauge({ name: 'tracefleet_worker_active_jobs', help: 'Jobs this worker is running now', registers: [registry] });
  return { registry, conversions, conversionSeconds, stageSeconds, cacheOps, queueJobs, concurrencyInUse };
}

export type Metrics = ReturnType<typeof createMetrics>;
