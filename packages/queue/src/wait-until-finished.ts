import type { EventEmitter } from 'node:events';
import type { Queue, QueueEvents } from 'bullmq';

/**
 * `Job.waitUntilFinished` without its flaw: BullMQ 6.7 makes its first status check inside an async
 * Promise executor, so a Redis error there (an outage, a Sentinel failover) is an unhandled
 * rejection that kills the process. Same contract: resolves with the return value, rejects with
 * the failure reason, a timeout, or the Redis error of the first check.
 */
export function waitUntilFinished<D, R>(
  queue: Queue<D, R>,
  queueEvents: QueueEvents,
  jobId: string,
  ttlMs: number,
): Promise<R> {
  // Per-job events (`completed:<id>`) are emitted but not in BullMQ's typed listener map.
  const events = queueEvents as unknown as EventEmitter;
  return new Promise<R>((resolve, reject) => {
    const completed = `completed:${jobId}`;
    const failed = `failed:${jobId}`;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      events.off(completed, onCompleted);
      events.off(failed, onFailed);
      fn();
    };
    const onCompleted = (args: { returnvalue: R }) => settle(() => resolve(args.returnvalue));
    const onFailed = (args: { failedReason: string }) => settle(() => reject(new Error(args.failedReason)));
    const timer = setTimeout(
      () => settle(() => reject(new Error(`job ${jobId} did not finish within ${ttlMs} ms`))),
      ttlMs,
    );
    events.on(completed, onCompleted);
    events.on(failed, onFailed);
    // It may have finished before the listeners were in place: look once, after QueueEvents listens.
    queueEvents
      .waitUntilReady()
      .then(() => queue.getJobState(jobId))
      .then(async (state) => {
        if (state !== 'completed' && state !== 'failed') return;
        // Read after the state: a job read first could have finished in between, without its value.
        const job = await queue.getJob(jobId);
        if (!job) return;
        if (state === 'completed') settle(() => resolve(job.returnvalue));
        else settle(() => reject(new Error(job.failedReason)));
      })
      .catch((err: unknown) => settle(() => reject(err)));
  });
}
