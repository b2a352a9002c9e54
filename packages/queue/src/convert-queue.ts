import { Queue, QueueEvents, type JobsOptions, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisOptions } from './connection.js';
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
  connection: Redis,
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

export function createQueueEvents(url: string, prefix: string): QueueEvents {
  return new QueueEvents(CONVERT_QUEUE, { connection: { url, ...redisOptions('events') } as never, prefix });
}

const IMAGE_TTL_SECONDS = 7 * 24 * 3600;

export function imageKeyFor(prefix: string, imageHash: string): string {
  return `${prefix}:img:${imageHash}`;
}

/** Uploaded bytes live beside the queue until the job has used them. */
export async function storeImage(redis: Redis, key: string, bytes: Uint8Array): Promise<void> {
  await redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'EX', IMAGE_TTL_SECONDS);
}

export async function loadImage(redis: Redis, key: string): Promise<Buffer | null> {
  return redis.getBuffer(key);
}
