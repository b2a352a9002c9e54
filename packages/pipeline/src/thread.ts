import type { MessagePort } from 'node:worker_threads';
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
  /** The pool's time limit; the clock starts when this thread takes the task (not while one is spawned). */
  timeoutMs?: number;
  /** Told when the conversion starts here, so the pool starts its clock at the same moment. */
  started?: MessagePort;
}

export type ThreadReply =
  { ok: true; result: ConversionResult } | { ok: false; error: { code: ErrorCode; message: string } };

/** Entry point of a pool thread. Errors come back as values: class instances do not cross threads. */
export default async function run(task: ThreadTask): Promise<ThreadReply> {
  const deadline = task.timeoutMs === undefined ? undefined : Date.now() + task.timeoutMs;
  task.started?.postMessage('started');
  task.started?.close();
  try {
    return {
      ok: true,
      result: await convertImage(task.bytes, task.options, task.limits, task.features, deadline),
    };
  } catch (err) {
    return { ok: false, error: toTracefleetError(err, 'PIPELINE_FAILED').toJSON() };
  }
}
