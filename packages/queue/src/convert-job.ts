import Type, { type Static } from 'typebox';
import { ConversionSchema, ConvertOptionsSchema, parseWith, type Conversion } from '@tracefleet/contract';

/**
 * The payload and the return value of a convert job, as schemas: both cross the queue (written by
 * one process, read by another, possibly of another version during a rolling deploy), so each side
 * validates what it reads.
 */
export const ConvertJobDataSchema = Type.Object({
  /** Result key (@tracefleet/contract keys): the job id is derived from it. */
  cacheKey: Type.String(),
  imageHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  options: ConvertOptionsSchema,
  /** Redis key holding the uploaded bytes (kept out of the job hash). */
  imageKey: Type.String(),
  bytes: Type.Integer({ minimum: 1 }),
  submittedAt: Type.Number(),
});
export type ConvertJobData = Static<typeof ConvertJobDataSchema>;

/** A job's return value is the one result shape. */
export type ConvertJobResult = Conversion;

/** Job data as the worker reads it; a malformed payload fails the job permanently (BAD_REQUEST). */
export function parseJobData(data: unknown): ConvertJobData {
  return parseWith(ConvertJobDataSchema, data, 'job data');
}

/** A job's return value as the API reads it; a malformed one is a pipeline failure, never served. */
export function parseJobResult(value: unknown): ConvertJobResult {
  return parseWith(ConversionSchema, value, 'job result', 'PIPELINE_FAILED');
}
