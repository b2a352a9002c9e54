import { describe, expect, it } from 'vitest';
import { throttledLog } from './error-throttle.js';

describe('throttledLog', () => {
  it('logs the first of a kind, then with doubling gaps up to a minute, counting what it skipped', () => {
    let now = 0;
    const lines: Array<Record<string, unknown>> = [];
    const log = throttledLog((fields) => lines.push(fields), 'redis error', { now: () => now });
    // 10 errors a second for 2 minutes, like a client looping on READONLY.
    for (now = 0; now < 120_000; now += 100) log(new Error(`READONLY against 127.0.0.1:${6379 + (now % 3)}`));
    // 1 + lines at 1, 3, 7, 15, 31, 63 s, then one a minute: about 8, never 1200.
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines[0]).toEqual({ err: 'READONLY against 127.0.0.1:6379' });
    expect(lines[1].repeated).toBe(9);
    const total = lines.length + lines.reduce((n, l) => n + Number(l.repeated ?? 0), 0);
    expect(total).toBeLessThanOrEqual(1200);
    expect(total).toBeGreaterThan(1200 - 700);
  });

  it('keeps kinds apart and starts over after a quiet minute', () => {
    let now = 0;
    const lines: string[] = [];
    const log = throttledLog((f) => lines.push(String(f.err)), 'x', { now: () => now });
    log(new Error('ECONNREFUSED'));
    log(new Error('READONLY'));
    log(new Error('ECONNREFUSED'));
    expect(lines).toEqual(['ECONNREFUSED', 'READONLY']);
    now = 200_000;
    log(new Error('ECONNREFUSED'));
    expect(lines).toEqual(['ECONNREFUSED', 'READONLY', 'ECONNREFUSED']);
  });
});
