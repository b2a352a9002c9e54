import os from 'node:os';
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
  /** Per-conversion time limit; the thread running a runaway conversion is terminated. */
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
    return this.running;
  }
  private running = 0;

  /** `features` from a cache (same image, FEATURES_VERSION) skip extraction in the thread. */
  async convert(
    bytes: Uint8Array,
    options: ConvertOptions,
    signal?: AbortSignal,
    features?: Features,
  ): Promise<ConversionResult> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    this.running++;
    let reply: ThreadReply;
    try {
      reply = await this.piscina.run({ bytes, options, limits: this.limits, features }, { signal: combined });
    } catch (err) {
      if (timeout.aborted)
        throw new TracefleetError('TIMEOUT', `conversion exceeded ${this.timeoutMs} ms and was stopped`, {
          cause: err,
        });
      if (signal?.aborted) throw new TracefleetError('UNAVAILABLE', 'conversion cancelled', { cause: err });
      throw new TracefleetError('PIPELINE_FAILED', `conversion thread failed: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      this.running--;
    }
    if (!reply.ok) throw new TracefleetError(reply.error.code, reply.error.message);
    return reply.result;
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
