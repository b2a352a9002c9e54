import { createHash } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { TracefleetError, decodeReason, isPermanent } from '@tracefleet/errors';
import type { LayeredCache } from '@tracefleet/cache';
import { cacheKeyFor, lookup } from '@tracefleet/converter';
import { probeImage, type ConvertOptions, type Limits } from '@tracefleet/pipeline';
import { imageKeyFor, jobIdFor, storeImage, type ConvertJobData, type ConvertJobResult } from '@tracefleet/queue';

export interface ConversionView {
  id: string;
  state: string;
  progress: number;
  result?: { svgUrl: string; bytes: number; quality: Record<string, number>; logoType: string; cache: string };
  error?: { code: string; message: string };
}

export interface Answer {
  jobId: string;
  key: string;
  svg: string;
  meta: ConvertJobResult['meta'];
  cache: string;
}

/** A cache key and its job id are the same string with ':' ↔ '-', so ids of cache hits resolve too. */
export const keyForJobId = (id: string) => id.replaceAll('-', ':');

export function etagFor(key: string): string {
  return `"${createHash('sha1').update(key).digest('base64url')}"`;
}

/** Redis failures on the request path become 503 UNAVAILABLE instead of hanging or 500. */
async function redisCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TracefleetError) throw err;
    throw new TracefleetError('UNAVAILABLE', `queue unavailable (${what}): ${(err as Error).message}`, { cause: err });
  }
}

export interface ConversionServiceDeps {
  cache: LayeredCache;
  queue: Queue<ConvertJobData, ConvertJobResult>;
  queueEvents: QueueEvents;
  redis: Redis;
  limits: Limits;
  queuePrefix: string;
}

/** The API's side of a conversion: cache first, else one deterministic BullMQ job per key. */
export class ConversionService {
  constructor(private readonly d: ConversionServiceDeps) {
    // Every request waiting for a job listens on QueueEvents (and on the Queue's 'closing') until it
    // finishes; concurrent waits legitimately pass Node's default warning threshold of 10.
    d.queueEvents.setMaxListeners(0);
    d.queue.setMaxListeners(0);
  }

  async prepare(bytes: Buffer, options: ConvertOptions) {
    await probeImage(bytes, this.d.limits);
    const { key, imageHash } = cacheKeyFor(bytes, options);
    return { key, imageHash, jobId: jobIdFor(key) };
  }

  /** The cache key of a request, without validating the image: a cached key was valid when stored. */
  keyFor(bytes: Buffer, options: ConvertOptions) {
    const { key, imageHash } = cacheKeyFor(bytes, options);
    return { key, imageHash, jobId: jobIdFor(key) };
  }

  /** The header checks `prepare` does, for a request that missed the cache. */
  async validate(bytes: Buffer): Promise<void> {
    await probeImage(bytes, this.d.limits);
  }

  async fromCache(key: string): Promise<Answer | undefined> {
    const hit = await lookup(this.d.cache, key);
    return (
      hit && { jobId: jobIdFor(key), key, svg: hit.svg, meta: hit.meta as unknown as Answer['meta'], cache: hit.cache }
    );
  }

  /** Adds the job, or joins the one already queued or running for the same key. */
  async enqueue(
    bytes: Buffer,
    options: ConvertOptions,
    p: { key: string; imageHash: string; jobId: string },
  ): Promise<Job<ConvertJobData, ConvertJobResult>> {
    const imageKey = imageKeyFor(this.d.queuePrefix, p.imageHash);
    return redisCall('enqueue', async () => {
      await storeImage(this.d.redis, imageKey, bytes);
      const data: ConvertJobData = {
        cacheKey: p.key,
        imageHash: p.imageHash,
        options,
        imageKey,
        bytes: bytes.length,
        submittedAt: Date.now(),
      };
      const job = await this.d.queue.add('convert', data, { jobId: p.jobId });
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
  async wait(job: Job<ConvertJobData, ConvertJobResult>, seconds: number): Promise<Answer | undefined> {
    if (seconds <= 0) return undefined;
    try {
      const result = await job.waitUntilFinished(this.d.queueEvents, seconds * 1000);
      return { jobId: job.id!, key: result.cacheKey, svg: result.svg, meta: result.meta, cache: result.cache };
    } catch (err) {
      const state = await redisCall('job state', () => job.getState());
      if (state === 'failed') {
        const fresh = await redisCall('job', () => this.d.queue.getJob(job.id!));
        throw decodeReason(fresh?.failedReason ?? (err as Error).message);
      }
      if (state === 'completed') {
        const fresh = await redisCall('job', () => this.d.queue.getJob(job.id!));
        const r = fresh?.returnvalue;
        if (r) return { jobId: job.id!, key: r.cacheKey, svg: r.svg, meta: r.meta, cache: r.cache };
      }
      return undefined;
    }
  }

  async view(id: string): Promise<ConversionView | undefined> {
    const job = await redisCall('job', () => this.d.queue.getJob(id));
    if (!job) {
      const cached = /^v[^-]+-r-[0-9a-f]{64}-[a-z0-9.]+$/.test(id) ? await this.fromCache(keyForJobId(id)) : undefined;
      return cached && { id, state: 'completed', progress: 100, result: this.resultView(id, cached) };
    }
    const state = await redisCall('job state', () => job.getState());
    const view: ConversionView = { id, state, progress: typeof job.progress === 'number' ? job.progress : 0 };
    if (state === 'completed' && job.returnvalue) {
      const r = job.returnvalue;
      view.result = this.resultView(id, { jobId: id, key: r.cacheKey, svg: r.svg, meta: r.meta, cache: r.cache });
    }
    if (state === 'failed') view.error = decodeReason(job.failedReason).toJSON();
    return view;
  }

  async svg(id: string): Promise<Answer | undefined> {
    const job = await redisCall('job', () => this.d.queue.getJob(id));
    const r = job?.returnvalue;
    if (r?.svg) return { jobId: id, key: r.cacheKey, svg: r.svg, meta: r.meta, cache: r.cache };
    if (job) {
      const state = await redisCall('job state', () => job.getState());
      if (state === 'failed') throw decodeReason(job.failedReason);
      throw new TracefleetError('NOT_READY', `job ${id} is ${state}`);
    }
    return this.fromCache(keyForJobId(id));
  }

  resultView(id: string, a: Answer): NonNullable<ConversionView['result']> {
    const q = a.meta.quality as unknown as Record<string, number>;
    return {
      svgUrl: `/v1/jobs/${encodeURIComponent(id)}/svg`,
      bytes: a.meta.bytes,
      quality: q,
      logoType: a.meta.logoType,
      cache: a.cache,
    };
  }
}
