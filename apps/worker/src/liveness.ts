/**
 * Detects a worker that has stopped consuming: the failure BullMQ users report after a Redis restart
 * or failover, where the process stays up and connected but never fetches another job. Readiness
 * cannot see it (Redis answers, the worker says it runs), so `/live` fails instead and the
 * orchestrator restarts the process.
 *
 * Rule: the worker is stuck when jobs are waiting, it has none in flight, and it has shown no
 * activity (a job started/finished, the queue drained) for `stuckAfterMs` since jobs were first seen
 * waiting (probes call check() periodically). A busy worker always has
 * jobs in flight (each bounded by JOB_TIMEOUT_MS); an idle worker with an empty queue is fine.
 */

/** The parts of a BullMQ Worker the monitor needs (an interface so it can be tested without Redis). */
export interface ConsumingWorker {
  isRunning(): boolean;
  on(event: 'active' | 'completed' | 'failed' | 'drained', listener: (...args: unknown[]) => void): unknown;
}

export interface LivenessOptions {
  /** Jobs waiting to be taken (wait + prioritized); rejects or hangs when Redis is down. */
  waitingCount: () => Promise<number>;
  stuckAfterMs: number;
  now?: () => number;
  /** How long a waiting-count query may take before it is treated as unknown. */
  queryTimeoutMs?: number;
}

export interface LivenessReport {
  live: boolean;
  running: boolean;
  inFlight: number;
  /** undefined when Redis could not be asked (Redis trouble is readiness's business, not liveness's). */
  waiting: number | undefined;
  idleMs: number;
  reason?: string;
}

export class LivenessMonitor {
  private inFlight = 0;
  private lastActivity: number;
  private waitingSeenAt: number | undefined;
  private readonly now: () => number;

  constructor(
    private readonly worker: ConsumingWorker,
    private readonly opts: LivenessOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.lastActivity = this.now();
    const touch = () => {
      this.lastActivity = this.now();
    };
    worker.on('active', () => {
      this.inFlight++;
      touch();
    });
    const finished = () => {
      this.inFlight = Math.max(0, this.inFlight - 1);
      touch();
    };
    worker.on('completed', finished);
    worker.on('failed', finished);
    worker.on('drained', touch);
  }

  private async waiting(): Promise<number | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.opts.queryTimeoutMs ?? 1000);
    });
    try {
      return await Promise.race([this.opts.waitingCount().catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async check(): Promise<LivenessReport> {
    const running = this.worker.isRunning();
    const waiting = await this.waiting();
    // Idle time counts from the later of the last activity and the first check that saw jobs
    // waiting, so a job enqueued after a long quiet spell is not mistaken for a stuck worker.
    if (!waiting || this.inFlight > 0) this.waitingSeenAt = undefined;
    else this.waitingSeenAt ??= this.now();
    const idleMs = this.now() - Math.max(this.lastActivity, this.waitingSeenAt ?? 0);
    const base = { running, inFlight: this.inFlight, waiting, idleMs };
    if (!running) return { ...base, live: false, reason: 'worker is not running' };
    if (this.inFlight === 0 && waiting !== undefined && waiting > 0 && idleMs > this.opts.stuckAfterMs) {
      return {
        ...base,
        live: false,
        reason: `${waiting} jobs waiting and no job taken for ${Math.round(idleMs / 1000)} s`,
      };
    }
    return { ...base, live: true };
  }
}
