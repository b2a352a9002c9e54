import { UnrecoverableError, type Job } from 'bullmq';
import { TracefleetError, encodeReason, toTracefleetError } from '@tracefleet/errors';
import { parseJobData, type ConvertJobData, type ConvertJobResult, type UploadStore } from '@tracefleet/queue';
import type { Converter } from '@tracefleet/converter';
import type { Logger, Metrics } from '@tracefleet/telemetry';

export interface ProcessorDeps {
  converter: Pick<Converter, 'convert' | 'cached'>;
  uploads: UploadStore;
  metrics: Metrics;
  logger: Logger;
}

/**
 * One convert job. Idempotent (delivery is at least once): the cache is consulted first and the
 * result is keyed by content, so a re-delivered job finds its own earlier result — also when its
 * upload is gone: a worker killed after storing the result and releasing the upload, before the
 * queue recorded the completion, leaves a job that re-runs from the cache alone.
 */
export function createProcessor({ converter, uploads, metrics, logger }: ProcessorDeps) {
  // The uploaded bytes are needed until the job is done for good: released after success or the last attempt.
  const release = (job: Job<ConvertJobData, ConvertJobResult>) => {
    const key = (job.data as Partial<ConvertJobData> | undefined)?.imageKey;
    if (typeof key === 'string')
      uploads.release(key).catch((err) => logger.warn({ jobId: job.id, err: err.message }, 'upload not released'));
  };
  return async (job: Job<ConvertJobData, ConvertJobResult>): Promise<ConvertJobResult> => {
    const started = performance.now();
    metrics.concurrencyInUse.inc();
    try {
      // The payload crossed the queue: validate it (a malformed one fails permanently, BAD_REQUEST).
      const { cacheKey, imageKey, options } = parseJobData(job.data);
      const bytes = await uploads.load(imageKey);
      // No progress updates: 'active' and 'completed' (the API reports 100 for it) are all a
      // conversion of a few ms can tell, and each update is a Redis round trip and an event.
      const out = bytes ? await converter.convert(bytes, options, cacheKey) : await converter.cached(cacheKey);
      if (!out)
        throw new TracefleetError('INVALID_IMAGE', 'the uploaded image is no longer available; submit it again');
      const seconds = (performance.now() - started) / 1000;
      metrics.conversions.inc({ outcome: 'ok', logo_type: out.meta.logoType, cache: out.cache });
      metrics.conversionSeconds.observe({ cache: out.cache === 'miss' ? 'miss' : 'hit' }, seconds);
      if (out.cache === 'miss')
        for (const [stage, ms] of Object.entries(out.meta.timings))
          if (stage !== 'total') metrics.stageSeconds.observe({ stage }, ms / 1000);
      logger.info(
        {
          jobId: job.id,
          cache: out.cache,
          ms: Math.round(seconds * 1000),
          ssim: out.meta.quality.ssim,
          bytes: out.meta.bytes,
        },
        'job done',
      );
      release(job);
      return out;
    } catch (err) {
      const e = toTracefleetError(err, 'PIPELINE_FAILED');
      metrics.conversions.inc({ outcome: e.code, logo_type: 'unknown', cache: 'miss' });
      logger.warn({ jobId: job.id, code: e.code, attempt: job.attemptsMade + 1 }, e.message);
      // Bad input fails at once; anything else is retried with backoff up to the job's attempts.
      if (e.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) release(job);
      if (e.permanent) throw new UnrecoverableError(encodeReason(e));
      throw new Error(encodeReason(e));
    } finally {
      metrics.concurrencyInUse.dec();
    }
  };
}
