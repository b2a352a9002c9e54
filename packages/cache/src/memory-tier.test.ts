import { describe, expect, it } from 'vitest';
import { entryOf } from './entry.js';
import { MemoryTier, adaptiveLimit } from './memory-tier.js';

const GiB = 1 << 30;
const calm = { heapLimit: 4 * GiB, heapUsed: 0.1 * GiB, freeMem: 16 * GiB, totalMem: 24 * GiB };

describe('memory tier adaptive size', () => {
  it('takes the smallest of the configured bound, 1/4 heap limit and 1/4 free memory', () => {
    expect(adaptiveLimit(64 << 20, 64 << 20, calm)).toBe(64 << 20);
    expect(adaptiveLimit(8 * GiB, 8 * GiB, calm)).toBe(GiB);
    expect(adaptiveLimit(8 * GiB, 8 * GiB, { ...calm, freeMem: 2 * GiB })).toBe(GiB / 2);
  });

  it('halves under pressure, to a floor, and grows back when it is gone', () => {
    const pressured = { ...calm, heapUsed: 3.6 * GiB };
    let limit = adaptiveLimit(64 << 20, 64 << 20, pressured);
    expect(limit).toBe(32 << 20);
    for (let i = 0; i < 20; i++) limit = adaptiveLimit(64 << 20, limit, pressured);
    expect(limit).toBe(1 << 20);
    expect(adaptiveLimit(64 << 20, limit, { ...calm, freeMem: 0.5 * GiB })).toBe(1 << 20);
    expect(adaptiveLimit(64 << 20, limit, calm)).toBe(64 << 20);
  });

  it('evicts least recently used entries when the bound shrinks', async () => {
    let probe = calm;
    const tier = new MemoryTier({ maxBytes: 4 << 20, adaptive: true, checkMs: 1e9, probe: () => probe });
    for (let i = 0; i < 30; i++) await tier.set(`k${i}`, entryOf(Buffer.alloc(100 << 10)));
    tier.peek('k0');
    expect(tier.bytes).toBeLessThanOrEqual(4 << 20);
    probe = { ...calm, heapUsed: 3.9 * GiB };
    tier.adapt();
    tier.adapt();
    expect(tier.limit).toBe(1 << 20);
    expect(tier.bytes).toBeLessThanOrEqual(1 << 20);
    expect(tier.peek('k0')).toBeDefined();
    expect(tier.stats().evictions).toBe(20);
    await tier.close();
  });
});
