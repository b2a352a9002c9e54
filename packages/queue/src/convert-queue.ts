import { Queue, QueueEvents, type JobsOptions, type QueueOptions } from 'bullmq';
import type { RedisClient } from '@tracefleet/redis';
import type { ConvertJobData, ConvertJobResult } from './convert-job.js';

export const CONVERT_QUEUE = 'convert';

/**
 * Finished jobs are kept `jobTtlSeconds` (JOB_TTL_SECONDS), and at most this many: a completed job's
 * record holds its SVG, and once it is gone its id still answers from the cache (ids name keys).
 */
const KEEP_COMPLETED = 1_000;
const KEEP_FAILED = 10_000;

export function defaultJobOptions(attempts: number, jobTtlSeconds = 24 * 3600): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: jobTtlSeconds, count: KEEP_COMPLETED },
    removeOnFail: { age: jobTtlSeconds, count: KEEP_FAILED },
  };
}

/** `telemetry` (bullmq-otel) carries the trace context from the producer's request into the worker's job span. */
export function createConvertQueue(
  connection: RedisClient,
  prefix: string,
  attempts: number,
  telemetry?: QueueOptions['telemetry'],
  jobTtlSeconds?: number,
): Queue<ConvertJobData, ConvertJobResult> {
  return new Queue<ConvertJobData, ConvertJobResult>(CONVERT_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: defaultJobOptions(attempts, jobTtlSeconds),
    telemetry,
  });
}

/** `connection` should be an `events`-role client (it blocks on XREAD); BullMQ uses a duplicate of it. */
export function createQueueEvents(connection: RedisClient, prefix: string): QueueEvents {
  return new QueueEvents(CONVERT_QUEUE, { connection, prefix });
}
