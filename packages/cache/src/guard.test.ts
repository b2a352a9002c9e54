import { describe, expect, it } from 'vitest';
import { TierGuard, TierTimeout, type GuardHooks } from './guard.js';

describe('tier guard', () => {
  it('returns a failure as a value, counts it and reports it', async () => {
    const errors: unknown[] = [];
    const observed: string[] = [];
    const hooks: GuardHooks = {
      onError: (_t, _op, err) => errors.push(err),
      observer: (tier, op, outcome) => observed.push(`${tier} ${op} ${outcome}`),
    };
    const guard = new TierGuard('redis', 100, hooks);
    expect(await guard.run('set', async () => 1)).toEqual({ ok: true, value: 1 });
    expect(await guard.run('set', () => Promise.reject(new Error('down')))).toEqual({ ok: false });
    expect(guard.errors).toBe(1);
    expect(errors).toHaveLength(1);
    expect(observed).toEqual(['redis set ok', 'redis set error']);
  });

  it('times out a slow operation instead of waiting for it', async () => {
    const errors: unknown[] = [];
    const guard = new TierGuard('redis', 30, { onError: (_t, _op, err) => errors.push(err) });
    const r = await guard.run('get', () => new Promise((resolve) => setTimeout(() => resolve('late'), 1000)));
    expect(r).toEqual({ ok: false });
    expect(errors[0]).toBeInstanceOf(TierTimeout);
  });

  it('when half-open, sends exactly one of many concurrent callers to the tier, and closes after it', async () => {
    let now = 0;
    const guard = new TierGuard('redis', 1000, {}, { threshold: 3, cooldownMs: 5000, now: () => now });
    for (let i = 0; i < 3; i++) await guard.run('get', () => Promise.reject(new Error('down')));
    expect(guard.breaker.state).toBe('open');
    now += 5000;
    let calls = 0;
    const trial = () =>
      guard.run('get', async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
        return 'back';
      });
    const results = await Promise.all(Array.from({ length: 20 }, trial));
    expect(calls).toBe(1);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(guard.breaker.state).toBe('closed');
    await Promise.all(Array.from({ length: 5 }, trial));
    expect(calls).toBe(6);
  });
});
