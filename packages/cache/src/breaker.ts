export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold?: number;
  /** How long an open circuit refuses every call before it lets one trial through. */
  cooldownMs?: number;
  /** Clock (injected in tests). */
  now?: () => number;
}

/**
 * Per-tier circuit breaker: after `threshold` consecutive failures the tier is skipped for
 * `cooldownMs`; then exactly one trial call goes through (every other caller is refused while it
 * runs) and its outcome closes the circuit or opens it for another cooldown.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialRunning = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(opts: BreakerOptions = {}) {
    this.threshold = opts.threshold ?? 3;
    this.cooldownMs = opts.cooldownMs ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.failures < this.threshold) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go to the tier now; a `true` in half-open state is the one trial. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialRunning = false;
  }

  failure(): void {
    this.failures++;
    this.trialRunning = false;
    if (this.failures >= this.threshold) this.openedAt = this.now();
  }
}
