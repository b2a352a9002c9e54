import { toTracefleetError, type ErrorCode } from '@tracefleet/errors';
import { convertImage } from './pipeline.js';
import type { ConversionResult } from './result.js';
import type { Features } from './features.js';
import type { ConvertOptions, Limits } from './options.js';

export interface ThreadTask {
  bytes: Uint8Array;
  options: ConvertOptions;
  limits: Limits;
  features?: Features;
}

export type ThreadReply =
  { ok: true; result: ConversionResult } | { ok: false; error: { code: ErrorCode; message: string } };

/** Entry point of a pool thread. Errors come back as values: class instances do not cross threads. */
export default async function run(task: ThreadTask): Promise<ThreadReply> {
  try {
    return { ok: true, result: await convertImage(task.bytes, task.options, task.limits, task.features) };
  } catch (err) {
    return { ok: false, error: toTracefleetError(err, 'PIPELINE_FAILED').toJSON() };
  }
}
