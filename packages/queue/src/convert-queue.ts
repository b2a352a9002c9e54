import { Queue, QueueEvents, type JobsOptions, type QueueOptions } from 'bullmq';
import type { RedisClient } from '@tracefleet/redis';
import type { ConvertJobData, ConvertJobResult } from './convert-job.js';

export const CONVERT_QUEUE = 'convert';

export function defaultJobOptions(attempts: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600, count: 10_000 },
  };
}

/** `telemetry` (bullmq-otel) carries the trace context from the producer's request into the worker's job span. */
export function createConvertQueue(
  connection: RedisClient,
  prefix: string,
  attempts: number,
  telemetry?: QueueOptions['telemetry'],
): Queue<ConvertJobData, ConvertJobResult> {
  return new Queue<ConvertJobData, ConvertJobResult>(CONVERT_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: defaultJobOptions(attempts),
    telemetry,
  });
}

/** `connection` should be an `events`-role client (it blocks on XREAD); BullMQ uses a duplicate of it. */
export function createQueueEvents(connection: RedisClient, prefix: string): QueueEvents {
  return new QueueEvents(CONVERT_QUEUE, { connection, prefix });
}

const IMAGE_TTL_SECONDS = 7 * 24 * 3600;

export function imageKeyFor(prefix: string, imageHash: string): string {
  return `${prefix}:img:${imageHash}`;
}

/** Uploaded bytes live beside the queue until the job has used them. */
export async function storeImage(redis: RedisClient, key: string, bytes: Uint8Array): Promise<void> {
  await redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'EX', IMAGE_TTL_SECONDS);
}

export async function loadImage(redis: RedisClient, key: string): Promise<Buffer | null> {
  return redis.getBuffer(key);
}
