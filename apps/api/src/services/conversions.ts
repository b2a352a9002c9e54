import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { TracefleetError, decodeReason, isPermanent } from '@tracefleet/errors';
import { jobIdOf, keyOfJobId, type Conversion, type ConvertOptions, type OutputOptions } from '@tracefleet/contract';
import {
  cacheKeyFor,
  keepLocally,
  lookup,
  Renditions,
  type ConversionCache,
  type Rendition,
} from '@tracefleet/converter';
import { probeImage, type Limits } from '@tracefleet/pipeline';
import { imageKeyFor, parseJobResult, storeImage, type ConvertJobData, type ConvertJobResult } from '@tracefleet/queue';

/** A finished conversion as the API answers it: the result and the job id the client can use. */
export interface Answer {
  jobId: string;
  conversion: Conversion;
}

/** `GET /v1/jobs/:id` (schema: JobViewSchema in ../schemas.ts). */
export interface ConversionView {
  id: string;
  state: string;
  progress: number;
  result?: {
    svgUrl: string;
    bytes: number;
    quality: Conversion['meta']['quality'];
    logoType: string;
    cache: string;
  };
  error?: { code: string; message: string };
}

/** Redis failures on the request path become 503 UNAVAILABLE instead of hanging or 500. */
export async function redisCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TracefleetError) throw err;
    throw new TracefleetError('UNAVAILABLE', `queue unavailable (${what}): ${(err as Error).message}`, { cause: err });
  }
}

export interface ConversionServiceDeps {
  cache: ConversionCache;
  queue: Queue<ConvertJobData, ConvertJobResult>;
  queueEvents: QueueEvents;
  redis: Redis;
  limits: Limits;
  queuePrefix: string;
}

/** A request after the cache was asked: answered from it, or a job that runs (or ran) for it. */
type Started = { answer: Answer; job?: undefined } | { answer?: undefined; job: Job<ConvertJobData, ConvertJobResult> };

/**
 * The API's side of a conversion, one method per use case (convert-and-wait, submit; batches submit
 * file by file). Every use case runs the same sequence (`start`): key from the bytes and options →
 * cache (a hit is answered without decoding or queueing anything) → header checks of the image →
 * one deterministic BullMQ job per key (equal requests in flight share it).
 */
export class ConversionService {
  private readonly renditions: Renditions;

  constructor(private readonly d: ConversionServiceDeps) {
    this.renditions = new Renditions(d.cache);
    // Every request waiting for a job listens on QueueEvents (and on the Queue's 'closing') until it
    // finishes; concurrent waits legitimately pass Node's default warning threshold of 10.
    d.queueEvents.setMaxListeners(0);
    d.queue.setMaxListeners(0);
  }

  private async start(bytes: Buffer, options: ConvertOptions): Promise<Started> {
    const { key, imageHash } = cacheKeyFor(bytes, options);
    const hit = await lookup(this.d.cache, key);
    // Only images that passed the checks and converted are ever cached under their content hash.
    if (hit) return { answer: { jobId: jobIdOf(key), conversion: hit } };
    await probeImage(bytes, this.d.limits);
    return { job: await this.enqueue(bytes, options, key, imageHash) };
  }

  /**
   * `POST /v1/convert`: the answer (`fromCache` when this API's cache answered without a job), or
   * no answer when the job still runs after `waitSeconds`.
   */
  async convertAndWait(
    bytes: Buffer,
    options: ConvertOptions,
    waitSeconds: number,
  ): Promise<{ jobId: string; answer?: Answer; fromCache: boolean }> {
    const s = await this.start(bytes, options);
    if (s.answer) return { jobId: s.answer.jobId, answer: s.answer, fromCache: true };
    const answer = await this.wait(s.job, waitSeconds);
    // The worker stored the result in the shared tiers; keeping it here makes the next identical request a memory hit.
    if (answer) await keepLocally(this.d.cache, answer.conversion);
    return { jobId: s.job.id!, answer, fromCache: false };
  }

  /** `POST /v1/jobs` and each file of `POST /v1/batches`: the job id and its state now. */
  async submit(bytes: Buffer, options: ConvertOptions): Promise<{ id: string; state: string }> {
    const s = await this.start(bytes, options);
    if (s.answer) return { id: s.answer.jobId, state: 'completed' };
    return { id: s.job.id!, state: await redisCall('job state', () => s.job.getState()) };
  }

  /** Adds the job, or joins the one already queued or running for the same key. */
  private async enqueue(bytes: Buffer, options: ConvertOptions, key: string, imageHash: string) {
    const imageKey = imageKeyFor(this.d.queuePrefix, imageHash);
    return redisCall('enqueue', async () => {
      await storeImage(this.d.redis, imageKey, bytes);
      const data: ConvertJobData = {
        cacheKey: key,
        imageHash,
        options,
        imageKey,
        bytes: bytes.length,
        submittedAt: Date.now(),
      };
      const job = await this.d.queue.add('convert', data, { jobId: jobIdOf(key) });
      // A job id that failed for a transient reason earlier is retried rather than answered from its old failure.
      const state = await job.getState();
      if (state === 'failed' && !isPermanent(decodeReason(job.failedReason).code)) await job.retry('failed');
      // A completed job whose result is no longer in the cache was purged: run it again rather than
      // answer the purged result. Concurrent requests race to retry; one wins, the rest join it.
      if (state === 'completed') await job.retry('completed').catch(() => undefined);
      return job;
    });
  }

  /** Waits up to `seconds` for the job; undefined when it is still running. */
  private async wait(job: Job<ConvertJobData, ConvertJobResult>, seconds: number): Promise<Answer | undefined> {
    const jobId = job.id!;
    if (seconds <= 0) return undefined;
    try {
      const result = await job.waitUntilFinished(this.d.queueEvents, seconds * 1000);
      return { jobId, conversion: parseJobResult(result) };
    } catch (err) {
      if (err instanceof TracefleetError) throw err;
      const state = await redisCall('job state', () => job.getState());
      if (state === 'failed') {
        const fresh = await redisCall('job', () => this.d.queue.getJob(jobId));
        throw decodeReason(fresh?.failedReason ?? (err as Error).message);
      }
      if (state === 'completed') {
        const fresh = await redisCall('job', () => this.d.queue.getJob(jobId));
        if (fresh?.returnvalue) return { jobId, conversion: parseJobResult(fresh.returnvalue) };
      }
      return undefined;
    }
  }

  /** A job id the queue no longer holds may still name a cached result (ids are keys). */
  private async fromCache(id: string): Promise<Answer | undefined> {
    const key = keyOfJobId(id);
    const hit = key ? await lookup(this.d.cache, key) : undefined;
    return hit && { jobId: id, conversion: hit };
  }

  /** `GET /v1/jobs/:id`; undefined = no such job. */
  async view(id: string): Promise<ConversionView | undefined> {
    const job = await redisCall('job', () => this.d.queue.getJob(id));
    if (!job) {
      const cached = await this.fromCache(id);
      return cached && { id, state: 'completed', progress: 100, result: resultView(cached) };
    }
    const state = await redisCall('job state', () => job.getState());
    const view: ConversionView = { id, state, progress: typeof job.progress === 'number' ? job.progress : 0 };
    if (state === 'completed' && job.returnvalue)
      view.result = resultView({ jobId: id, conversion: parseJobResult(job.returnvalue) });
    if (state === 'failed') view.error = decodeReason(job.failedReason).toJSON();
    return view;
  }

  /** A finished result in an output format: derived from its vector result, never traced again. */
  output(a: Answer, output: OutputOptions): Promise<Rendition> {
    return this.renditions.render(a.conversion, output);
  }

  /** `GET /v1/jobs/:id/svg` and `/result`: the finished result; NOT_READY while it runs, its error when it failed. */
  async result(id: string): Promise<Answer | undefined> {
    const job = await redisCall('job', () => this.d.queue.getJob(id));
    if (job?.returnvalue) return { jobId: id, conversion: parseJobResult(job.returnvalue) };
    if (job) {
      const state = await redisCall('job state', () => job.getState());
      if (state === 'failed') throw decodeReason(job.failedReason);
      throw new TracefleetError('NOT_READY', `job ${id} is ${state}`);
    }
    return this.fromCache(id);
  }
}

export function resultView(a: Answer): NonNullable<ConversionView['result']> {
  const { meta, cache } = a.conversion;
  return {
    svgUrl: `/v1/jobs/${encodeURIComponent(a.jobId)}/svg`,
    bytes: meta.bytes,
    quality: meta.quality,
    logoType: meta.logoType,
    cache,
  };
}
