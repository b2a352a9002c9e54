import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import type { RedisClient } from '@tracefleet/redis';
import type { Config } from '@tracefleet/config';
import { imageHashOf } from '@tracefleet/contract';
import { AlertEngine, BucketRecorder, type CircuitState } from '@tracefleet/monitoring';
import { activeTraceId, withSpan, type Logger, type Metrics } from '@tracefleet/telemetry';

export interface MonitoringDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  redis: RedisClient;
  queue: Queue;
  cache: { stats(): Record<string, { state: string }> };
}

export interface Monitoring {
  recorder: BucketRecorder;
  alerts: AlertEngine;
  /** Samples the queue and the cache breakers now (also done on a timer). */
  sample(): Promise<void>;
}

/**
 * The API's share of the shared time buckets: every conversion answer (from an onResponse hook,
 * so the route code stays as it is), queue depth and breaker states on a timer, and the in-process
 * alert engine. Registered on the root instance so the hook sees every route.
 */
export function registerMonitoring(app: FastifyInstance, deps: MonitoringDeps): Monitoring {
  const { config } = deps;
  const recorder = new BucketRecorder(deps.redis, { prefix: config.queuePrefix });
  const alerts = new AlertEngine(deps.redis, {
    prefix: config.queuePrefix,
    logger: deps.logger,
    webhookUrl: config.alertWebhookUrl,
    intervalMs: config.alertIntervalMs,
    traceId: activeTraceId,
    around: (fn) => withSpan('alerts.evaluate', fn, { quiet: true }),
    thresholds: {
      coldP95Ms: config.alertColdP95Ms,
      cachedP95Ms: config.alertCachedP95Ms,
      hitRateDrop: config.alertHitRateDropPercent / 100,
      queueBacklog: config.alertQueueBacklog,
      failureRate: config.alertFailureRatePercent / 100,
    },
  });
  const instance = `api@${os.hostname()}:${process.pid}`;

  // Callback style (no promise per request): this runs after every answer, cache hits included.
  app.addHook('onResponse', (req, reply, done) => {
    if (req.method === 'POST' && req.routeOptions.url === '/v1/convert') {
      const c = req.conversion;
      recorder.request({
        status: reply.statusCode,
        cache: c?.cache,
        ms: reply.elapsedTime,
        imageHash: c ? imageHashOf(c.key) : undefined,
      });
    }
    done();
  });

  const sample = async () => {
    const counts = await deps.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    for (const [state, n] of Object.entries({ ...counts, waiting })) deps.metrics.queueJobs.set({ state }, n ?? 0);
    recorder.queue({ waiting, active: counts.active, delayed: counts.delayed, failed: counts.failed });
    const states: Record<string, CircuitState> = {};
    for (const [tier, s] of Object.entries(deps.cache.stats())) states[tier] = s.state as CircuitState;
    await recorder.circuits(instance, states);
  };
  const every = Math.min(15_000, config.alertIntervalMs);
  const timer = setInterval(() => void sample().catch(() => undefined), every);
  timer.unref();
  alerts.start();
  void sample().catch(() => undefined);

  app.addHook('onClose', async () => {
    clearInterval(timer);
    await alerts.stop();
    await recorder.close();
  });
  return { recorder, alerts, sample };
}
