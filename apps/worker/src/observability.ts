import os from 'node:os';
import { UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from '@tracefleet/redis';
import { decodeReason } from '@tracefleet/errors';
import { BucketRecorder, type CircuitState } from '@tracefleet/monitoring';
import { imageHashOf } from '@tracefleet/contract';
import type { ConvertJobData, ConvertJobResult } from '@tracefleet/queue';
import { recordStageSpans, traceCacheTiers } from '@tracefleet/telemetry';

type Processor = (job: Job<ConvertJobData, ConvertJobResult>) => Promise<ConvertJobResult>;

interface CacheLike {
  tiers?: ReadonlyArray<{ readonly name: string; get(key: string): Promise<unknown> }>;
  stats(): Record<string, { state: string }>;
}

/**
 * The worker's share of observability: job outcomes into the shared time buckets, stage spans
 * under the BullMQ job span (from the thread's `meta.timings`), cache tier spans, and this
 * process's breaker states for the circuit alert.
 */
export function startWorkerObservability(deps: { redis: RedisClient; prefix: string; cache: CacheLike }) {
  const recorder = new BucketRecorder(deps.redis, { prefix: deps.prefix });
  traceCacheTiers(deps.cache);
  const instance = `worker@${os.hostname()}:${process.pid}`;
  const reportCircuits = () => {
    const states: Record<string, CircuitState> = {};
    for (const [tier, s] of Object.entries(deps.cache.stats())) states[tier] = s.state as CircuitState;
    return recorder.circuits(instance, states).catch(() => undefined);
  };
  const timer = setInterval(() => void reportCircuits(), 15_000);
  timer.unref();
  void reportCircuits();

  const observe =
    (processor: Processor): Processor =>
    async (job) => {
      const started = performance.now();
      try {
        const result = await processor(job);
        const { meta } = result;
        if (result.cache === 'miss') recordStageSpans(meta.timings);
        recorder.job({
          outcome: 'ok',
          cache: result.cache,
          logoType: meta.logoType,
          ms: performance.now() - started,
          imageHash: imageHashOf(result.key),
        });
        return result;
      } catch (err) {
        const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        recorder.job({
          outcome: final ? 'failed' : 'retry',
          code: decodeReason((err as Error).message).code,
          ms: performance.now() - started,
        });
        throw err;
      }
    };

  return {
    observe,
    async close() {
      clearInterval(timer);
      await recorder.close();
    },
  };
}
