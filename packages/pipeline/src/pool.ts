import os from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { TracefleetError } from '@tracefleet/errors';
import type { ConversionResult } from './result.js';
import type { Features } from './features.js';
import type { ConvertOptions, Limits } from './options.js';
import type { ThreadReply, ThreadTask } from './thread.js';

export interface PoolOptions {
  threads?: number;
  limits: Limits;
  /**
   * Per-conversion time limit, counted from the moment a thread takes the conversion (waiting for a
   * thread does not count, so running out of time says something about the image: TIMEOUT is
   * permanent). The thread running a runaway conversion is terminated.
   */
  timeoutMs: number;
}

/** The compiled thread entry (tests import this module from src/, the thread must be built JS). */
function threadFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? fileURLToPath(new URL('../dist/thread.js', import.meta.url))
    : fileURLToPath(new URL('./thread.js', import.meta.url));
}

/**
 * Worker-thread pool for conversions: CPU work stays off the event loop, so BullMQ lock renewal,
 * health probes and HTTP keep running while images are traced.
 */
export class ConversionPool {
  private readonly piscina: Piscina<ThreadTask, ThreadReply>;
  private readonly limits: Limits;
  private readonly timeoutMs: number;

  constructor(opts: PoolOptions) {
    const threads = Math.max(1, opts.threads ?? os.availableParallelism());
    this.piscina = new Piscina({ filename: threadFile(), minThreads: 1, maxThreads: threads, idleTimeout: 60_000 });
    this.limits = opts.limits;
    this.timeoutMs = opts.timeoutMs;
  }

  get threads(): number {
    return this.piscina.maxThreads;
  }

  /** Conversions running or waiting for a thread. */
  get pending(): number {
    return this.running + this.waiting.length;
  }
  private running = 0;
  /** Conversions waiting for a free thread, first come first served. */
  private readonly waiting: Array<() => void> = [];

  /** Resolves when a thread is free for one more conversion (the caller then owns that slot). */
  private async slot(signal?: AbortSignal): Promise<void> {
    if (this.running < this.threads) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const take = () => {
        signal?.removeEventListener('abort', cancel);
        this.running++;
        resolve();
      };
      const cancel = () => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(new TracefleetError('UNAVAILABLE', 'conversion cancelled'));
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.waiting.push(take);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  /** `features` from a cache (same image, FEATURES_VERSION) skip extraction in the thread. */
  async convert(
    bytes: Uint8Array,
    options: ConvertOptions,
    signal?: AbortSignal,
    features?: Features,
  ): Promise<ConversionResult> {
    if (signal?.aborted) throw new TracefleetError('UNAVAILABLE', 'conversion cancelled');
    await this.slot(signal);
    // The clock starts when the thread takes the conversion: starting a replacement thread (≈ 0.8 s
    // of CPU for the pipeline's modules) must not eat a logo's time and fail it permanently.
    const timeout = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    port1.once('message', () => (timer = setTimeout(() => timeout.abort(), this.timeoutMs)));
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    let reply: ThreadReply;
    try {
      reply = await this.piscina.run(
        { bytes, options, limits: this.limits, features, timeoutMs: this.timeoutMs, started: port2 },
        { signal: combined, transferList: [port2] },
      );
    } catch (err) {
      if (timeout.signal.aborted)
        throw new TracefleetError('TIMEOUT', `conversion exceeded ${this.timeoutMs} ms and was stopped`, {
          cause: err,
        });
      if (signal?.aborted) throw new TracefleetError('UNAVAILABLE', 'conversion cancelled', { cause: err });
      throw new TracefleetError('PIPELINE_FAILED', `conversion thread failed: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      clearTimeout(timer);
      port1.close();
      this.release();
    }
    if (!reply.ok) throw new TracefleetError(reply.error.code, reply.error.message);
    return reply.result;
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
