import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.js';

describe('single flight', () => {
  it('shares one run between concurrent calls of a key, and starts a new one once it settled', async () => {
    const flight = new SingleFlight<string>();
    let runs = 0;
    const work = async () => {
      const n = ++runs;
      await new Promise((r) => setTimeout(r, 10));
      return `run ${n}`;
    };
    const first = await Promise.all([
      ...Array.from({ length: 10 }, () => flight.run('a', work)),
      flight.run('b', work),
    ]);
    expect(runs).toBe(2);
    expect(new Set(first.slice(0, 10))).toEqual(new Set(['run 1']));
    expect(flight.size).toBe(0);
    expect(await flight.run('a', work)).toBe('run 3');
  });

  it('passes a failure to every waiter and forgets it', async () => {
    const flight = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error('boom'));
    const all = await Promise.allSettled([flight.run('k', failing), flight.run('k', failing)]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await flight.run('k', async () => 7)).toBe(7);
  });
});
