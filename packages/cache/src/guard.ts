import { CircuitBreaker, type BreakerOptions } from './breaker.js';
import type { TierName } from './tier.js';

export type CacheObserver = (
  tier: TierName,
  op: string,
  outcome: 'hit' | 'miss' | 'ok' | 'error',
  seconds: number,
) => void;

/** Hooks shared by every guard of a cache; the observer can be set after construction (metrics). */
export interface GuardHooks {
  onError?: (tier: TierName, op: string, err: unknown) => void;
  observer?: CacheObserver;
}

export class TierTimeout extends Error {
  override name = 'TierTimeout';
}

export type Guarded<T> = { ok: true; value: T } | { ok: false };

/**
 * Every operation on one tier goes through its guard: refused while the tier's circuit is open,
 * bounded by a time limit (0 = none, for the in-process tier), and a failure or timeout is counted,
 * reported and returned as a value — a cache tier is never fatal.
 */
export class TierGuard {
  readonly breaker: CircuitBreaker;
  errors = 0;

  constructor(
    readonly tier: TierName,
    private readonly timeoutMs: number,
    private readonly hooks: GuardHooks,
    breaker: BreakerOptions = {},
  ) {
    this.breaker = new CircuitBreaker(breaker);
  }

  async run<T>(op: string, fn: () => Promise<T>): Promise<Guarded<T>> {
    if (!this.breaker.allow()) return { ok: false };
    let timer: NodeJS.Timeout | undefined;
    const started = performance.now();
    try {
      const value = this.timeoutMs
        ? await Promise.race([
            fn(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new TierTimeout(`${this.tier} ${op} timed out after ${this.timeoutMs} ms`)),
                this.timeoutMs,
              );
            }),
          ])
        : await fn();
      this.breaker.success();
      // Gets are observed as hit or miss by the caller, which knows which.
      if (op !== 'get') this.hooks.observer?.(this.tier, op, 'ok', (performance.now() - started) / 1000);
      return { ok: true, value };
    } catch (err) {
      this.breaker.failure();
      this.errors++;
      this.hooks.onError?.(this.tier, op, err);
      this.hooks.observer?.(this.tier, op, 'error', (performance.now() - started) / 1000);
      return { ok: false };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
