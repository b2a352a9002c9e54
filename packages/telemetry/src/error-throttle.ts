import type { Logger } from './logger.js';

export interface ThrottleOptions {
  /** Gap after the first line of a run; doubles with every line up to `maxMs`. */
  minMs?: number;
  maxMs?: number;
  now?: () => number;
}

interface Run {
  next: number;
  gap: number;
  suppressed: number;
  last: number;
}

/**
 * Logs repeated errors with backoff: the first of a kind at once, then one line per 1 s, 2 s, 4 s …
 * up to one a minute, each with the count of those it stood for. A Redis that is away or READONLY
 * makes every client fail many times a second; this keeps that to a handful of lines per minute.
 * A kind is the fields and the message without its words that hold digits (ports, counts, job ids
 * vary, the cause does not).
 */
export function throttledLog(
  log: (fields: Record<string, unknown>, msg: string) => void,
  msg: string,
  opts: ThrottleOptions = {},
): (err: unknown, fields?: Record<string, unknown>) => void {
  const minMs = opts.minMs ?? 1000;
  const maxMs = opts.maxMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const runs = new Map<string, Run>();
  return (err, fields = {}) => {
    const message = err instanceof Error ? err.message : String(err);
    const kind = `${Object.values(fields).join('|')}|${message.replace(/\S*\d\S*/g, '#').slice(0, 200)}`;
    const t = now();
    let run = runs.get(kind);
    // Quiet for a while: the next error of this kind starts a new run.
    if (run && t - run.last > maxMs) run = undefined;
    if (!run) {
      if (runs.size >= 100) runs.clear();
      runs.set(kind, { next: t + minMs, gap: minMs, suppressed: 0, last: t });
      return log({ ...fields, err: message }, msg);
    }
    run.last = t;
    if (t < run.next) {
      run.suppressed++;
      return;
    }
    const repeated = run.suppressed;
    run.suppressed = 0;
    run.gap = Math.min(run.gap * 2, maxMs);
    run.next = t + run.gap;
    log({ ...fields, err: message, repeated }, msg);
  };
}

/** `throttledLog` at warn level of a pino logger. */
export const throttledWarn = (logger: Logger, msg: string, opts?: ThrottleOptions) =>
  throttledLog((fields, m) => logger.warn(fields, m), msg, opts);
