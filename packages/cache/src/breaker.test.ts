import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.js';

function clocked() {
  let t = 1_000_000;
  const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 5000, now: () => t });
  return { breaker, advance: (ms: number) => (t += ms) };
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and refuses calls during the cooldown', () => {
    const { breaker, advance } = clocked();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    advance(4999);
    expect(breaker.allow()).toBe(false);
    advance(1);
    expect(breaker.state).toBe('half-open');
  });

  it('lets exactly one trial through when half-open, however many callers ask', () => {
    const { breaker, advance } = clocked();
    for (let i = 0; i < 3; i++) breaker.failure();
    advance(5000);
    const allowed = Array.from({ length: 50 }, () => breaker.allow()).filter(Boolean);
    expect(allowed).toHaveLength(1);
    expect(breaker.state).toBe('half-open');
  });

  it('closes when the trial succeeds, and opens for another cooldown when it fails', () => {
    const { breaker, advance } = clocked();
    for (let i = 0; i < 3; i++) breaker.failure();
    advance(5000);
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    advance(5000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect([breaker.allow(), breaker.allow()]).toEqual([true, true]);
  });
});
