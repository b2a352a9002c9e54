import type { Job, Queue, QueueEvents } from 'bullmq';
import { TracefleetError, decodeReason, isPermanent, toTracefleetError } from '@tracefleet/errors';
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
import {
  parseJobResult,
  waitUntilFinished,
  type ConvertJobData,
  type ConvertJobResult,
  type UploadStore,
} from '@tracefleet/queue';
import type { JobIds } from './job-ids.js';
import type { PurgeMarker } from './purge-marker.js';

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
  uploads: UploadStore;
  /** The ids clients see (per tenant with API keys). */
  ids: JobIds;
  purges: PurgeMarker;
  limits: Limits;
}

/** A request after the cache was asked: answered from it, or a job that runs (or ran) for it. */
type Started = { answer: Answer; job?: undefined } | { answer?: undefined; job: Job<ConvertJobData, ConvertJobResult> };

/**
 * The API's side of a conversion, one method per use case (convert-and-wait, submit; batches submit
 * file by file). Every use case runs the same sequence (`start`): key from the bytes and options →
 * cache (a hit is answered without decoding or queueing anything) → header checks of the image →
 * one deterministic BullMQ job per key (equal requests in flight share it, whoever sent them).
 * `tenant` is the API key name (undefined without API keys): it only changes the ids clients see.
 * A purged result is gone: a job record that finished before the purge no longer answers it.
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

  private async start(bytes: Buffer, options: ConvertOptions, tenant: string | undefined): Promise<Started> {
    const { key, imageHash } = cacheKeyFor(bytes, options);
    const hit = await lookup(this.d.cache, key);
    // Only images that passed the checks and converted are ever cached under their content hash.
    if (hit) return { answer: { jobId: await this.issue(tenant, jobIdOf(key)), conversion: hit } };
    await probeImage(bytes, this.d.limits);
    return { job: await this.enqueue(bytes, options, key, imageHash) };
  }

  private issue(tenant: string | undefined, jobId: string): Promise<string> {
    return redisCall('job id', () => this.d.ids.issue(tenant, jobId));
  }

  /**
   * `POST /v1/convert`: the answer (`fromCache` when this API's cache answered without a job), or
   * no answer when the job still runs after `waitSeconds`.
   */
  async convertAndWait(
    bytes: Buffer,
    options: ConvertOptions,
    waitSeconds: number,
    tenant?: string,
  ): Promise<{ jobId: string; answer?: Answer; fromCache: boolean }> {
    const s = await this.start(bytes, options, tenant);
    if (s.answer) return { jobId: s.answer.jobId, answer: s.answer, fromCache: true };
    const jobId = await this.issue(tenant, s.job.id!);
    const answer = await this.wait(s.job, jobId, waitSeconds);
    // The worker stored the result in the shared tiers; keeping it here makes the next identical request a memory hit.
    if (answer) await keepLocally(this.d.cache, answer.conversion);
    return { jobId, answer, fromCache: false };
  }

  /** `POST /v1/jobs` and each file of `POST /v1/batches`: the job id and its state now. */
  async submit(bytes: Buffer, options: ConvertOptions, tenant?: string): Promise<{ id: string; state: string }> {
    const s = await this.start(bytes, options, tenant);
    if (s.answer) return { id: s.answer.jobId, state: 'completed' };
    const state = await redisCall('job state', () => s.job.getState());
    return { id: await this.issue(tenant, s.job.id!), state };
  }

  /** Adds the job, or joins the one already queued or running for the same key. */
  private async enqueue(bytes: Buffer, options: ConvertOptions, key: string, imageHash: string) {
    const jobId = jobIdOf(key);
    const imageKey = this.d.uploads.keyFor(jobId);
    return redisCall('enqueue', async () => {
      if (!(await this.d.uploads.store(imageKey, bytes)))
        throw new TracefleetError(
          'UPLOAD_BUDGET_EXCEEDED',
          'too many uploaded bytes are waiting for a worker (UPLOAD_BUDGET_BYTES); retry later',
        );
      const data: ConvertJobData = {
        cacheKey: key,
        imageHash,
        options,
        imageKey,
        bytes: bytes.length,
        submittedAt: Date.now(),
      };
      const added = await this.d.queue.add('convert', data, { jobId });
      // `add` returns the submitted job, not the stored one: read the stored record for its failure.
      const { state, job = added } = await this.snapshot(jobId);
      // A job id that failed for a transient reason earlier is retried rather than answered from its old failure.
      if (state === 'failed' && !isPermanent(decodeReason(job.failedReason).code)) await job.retry('failed');
      // A completed job whose result is no longer in the cache was purged: run it again rather than
      // answer the purged result. The cache is asked again first: a job that completed while this
      // request was starting is not purged (its result is there), and re-running it would find its
      // upload already released. Concurrent requests race to retry; one wins, the rest join it.
      if (state === 'completed' && !(await lookup(this.d.cache, key)))
        await job.retry('completed').catch(() => undefined);
      return job;
    });
  }

  /**
   * The answer of a completed job from its record, unless the cache was purged since it finished:
   * then only the cache (which may have it again from a newer job) can answer, else it is gone.
   */
  private async answerOf(clientId: string, job: Job<ConvertJobData, ConvertJobResult>): Promise<Answer> {
    const conversion = parseJobResult(job.returnvalue);
    const purgedAt = await redisCall('purge marker', () => this.d.purges.purgedAt());
    if (purgedAt < (job.finishedOn ?? 0)) return { jobId: clientId, conversion };
    const hit = await lookup(this.d.cache, conversion.key);
    if (!hit)
      throw new TracefleetError('NOT_FOUND', `the result of job ${clientId} was purged; submit the image again`);
    return { jobId: clientId, conversion: hit };
  }

  /** Waits up to `seconds` for the job; undefined when it is still running. */
  private async wait(
    job: Job<ConvertJobData, ConvertJobResult>,
    clientId: string,
    seconds: number,
  ): Promise<Answer | undefined> {
    const jobId = job.id!;
    if (seconds <= 0) return undefined;
    try {
      const result = await waitUntilFinished(this.d.queue, this.d.queueEvents, jobId, seconds * 1000);
      return { jobId: clientId, conversion: parseJobResult(result) };
    } catch (err) {
      if (err instanceof TracefleetError) throw err;
      const state = await redisCall('job state', () => job.getState());
      if (state === 'failed') {
        const fresh = await redisCall('job', () => this.d.queue.getJob(jobId));
        throw decodeReason(fresh?.failedReason ?? (err as Error).message);
      }
      if (state === 'completed') {
        const fresh = await redisCall('job', () => this.d.queue.getJob(jobId));
        if (fresh?.returnvalue) return { jobId: clientId, conversion: parseJobResult(fresh.returnvalue) };
      }
      return undefined;
    }
  }

  /**
   * A job's state, then its record. In this order a failed state always comes with its reason: read
   * the other way round, a job failing between the two reads showed as failed with no reason.
   */
  private async snapshot(jobId: string) {
    const state = await this.d.queue.getJobState(jobId);
    const job: Job<ConvertJobData, ConvertJobResult> | undefined = await this.d.queue.getJob(jobId);
    return { state, job };
  }

  /** A job id the queue no longer holds may still name a cached result (ids are keys). */
  private async fromCache(clientId: string, jobId: string): Promise<Answer | undefined> {
    const key = keyOfJobId(jobId);
    const hit = key ? await lookup(this.d.cache, key) : undefined;
    return hit && { jobId: clientId, conversion: hit };
  }

  /** `GET /v1/jobs/:id`; undefined = no such job (for this tenant). */
  async view(id: string, tenant?: string): Promise<ConversionView | undefined> {
    const jobId = await redisCall('job id', () => this.d.ids.resolve(tenant, id));
    if (!jobId) return undefined;
    const { state, job } = await redisCall('job', () => this.snapshot(jobId));
    if (!job) {
      const cached = await this.fromCache(id, jobId);
      return cached && { id, state: 'completed', progress: 100, result: resultView(cached) };
    }
    // Workers report no intermediate progress: a finished job is 100.
    const progress = state === 'completed' ? 100 : typeof job.progress === 'number' ? job.progress : 0;
    const view: ConversionView = { id, state, progress };
    if (state === 'completed' && job.returnvalue) {
      try {
        view.result = resultView(await this.answerOf(id, job));
      } catch (err) {
        view.error = toTracefleetError(err).toJSON();
      }
    }
    if (state === 'failed') view.error = decodeReason(job.failedReason).toJSON();
    return view;
  }

  /** A finished result in an output format: derived from its vector result, never traced again. */
  output(a: Answer, output: OutputOptions): Promise<Rendition> {
    return this.renditions.render(a.conversion, output);
  }

  /** `GET /v1/jobs/:id/svg` and `/result`: the finished result; NOT_READY while it runs, its error when it failed. */
  async result(id: string, tenant?: string): Promise<Answer | undefined> {
    const jobId = await redisCall('job id', () => this.d.ids.resolve(tenant, id));
    if (!jobId) return undefined;
    const { state, job } = await redisCall('job', () => this.snapshot(jobId));
    if (job?.returnvalue) return this.answerOf(id, job);
    if (job) {
      if (state === 'failed') throw decodeReason(job.failedReason);
      throw new TracefleetError('NOT_READY', `job ${id} is ${state}`);
    }
    return this.fromCache(id, jobId);
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
