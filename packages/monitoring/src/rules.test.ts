import { describe, expect, it } from 'vitest';
import { bucketIndex, quantile } from './histogram.js';
import { DEFAULT_THRESHOLDS, evaluateRules, type AlertThresholds } from './rules.js';
import { emptyMinute, type CircuitReport, type MinuteStats } from './series.js';

const t: AlertThresholds = { ...DEFAULT_THRESHOLDS, windowMinutes: 5, baselineMinutes: 30, minSamples: 5 };

/** `n` consecutive minutes ending now, each shaped by `fill`. */
function minutes(n: number, fill: (m: MinuteStats, i: number) => void = () => undefined): MinuteStats[] {
  return Array.from({ length: n }, (_, i) => {
    const m = emptyMinute(1000 + i);
    fill(m, i);
    return m;
  });
}
const observe = (hist: number[], ms: number, times = 1) => {
  const i = bucketIndex(ms);
  for (let k = hist.length; k <= i; k++) hist[k] = 0;
  hist[i] += times;
};
const ids = (mins: MinuteStats[], circuits: CircuitReport[] = []) =>
  evaluateRules({ minutes: mins, circuits }, t).map((a) => a.id);

describe('latency histogram', () => {
  it('finds percentiles within the bucket of the observation', () => {
    const h: number[] = [];
    observe(h, 0.8, 90);
    observe(h, 400, 10);
    expect(quantile(h, 0.5)).toBeGreaterThan(0.5);
    expect(quantile(h, 0.5)).toBeLessThanOrEqual(1);
    expect(quantile(h, 0.95)).toBeGreaterThan(250);
    expect(quantile(h, 0.95)).toBeLessThanOrEqual(500);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});

describe('alert rules on synthetic buckets', () => {
  it('a healthy fleet raises nothing', () => {
    const healthy = minutes(40, (m) => {
      m.hits.memory = 80;
      m.misses = 20;
      m.jobsOk = 20;
      m.jobsCold = 20;
      observe(m.coldLatency, 300, 20);
      observe(m.cachedLatency, 1, 80);
      m.queue = { waiting: 2, active: 2, delayed: 0, failed: 0 };
    });
    expect(ids(healthy)).toEqual([]);
  });

  it('cold p95 above its threshold fires, and clears when fast again', () => {
    const slow = minutes(10, (m, i) => {
      m.jobsCold = 10;
      observe(m.coldLatency, i >= 5 ? 20_000 : 200, 10);
    });
    expect(ids(slow)).toContain('ColdP95High');
    const fast = minutes(10, (m) => {
      m.jobsCold = 10;
      observe(m.coldLatency, 200, 10);
    });
    expect(ids(fast)).not.toContain('ColdP95High');
  });

  it('too few cold samples never fire', () => {
    const few = minutes(10, (m, i) => {
      if (i === 9) {
        m.jobsCold = 2;
        observe(m.coldLatency, 60_000, 2);
      }
    });
    expect(ids(few)).toEqual([]);
  });

  it('cached p95 above its threshold fires', () => {
    const mins = minutes(10, (m) => observe(m.cachedLatency, 120, 20));
    expect(ids(mins)).toEqual(['CachedP95High']);
    expect(ids(minutes(10, (m) => observe(m.cachedLatency, 2, 20)))).toEqual([]);
  });

  it('hit rate dropping against its own baseline fires; a stable low rate does not', () => {
    const drop = minutes(35, (m, i) => {
      if (i < 30) {
        m.hits.redis = 90;
        m.misses = 10;
      } else {
        m.hits.redis = 30;
        m.misses = 70;
      }
    });
    const a = evaluateRules({ minutes: drop, circuits: [] }, t).find((x) => x.id === 'HitRateDrop');
    expect(a?.value).toBeCloseTo(0.3, 2);
    const stableLow = minutes(35, (m) => {
      m.hits.redis = 30;
      m.misses = 70;
    });
    expect(ids(stableLow)).toEqual([]);
    const recovered = minutes(35, (m) => {
      m.hits.redis = 88;
      m.misses = 12;
    });
    expect(ids(recovered)).toEqual([]);
  });

  it('queue backlog fires only while above the threshold and growing', () => {
    const growing = minutes(5, (m, i) => (m.queue = { waiting: 80 + i * 40, active: 4, delayed: 0, failed: 0 }));
    expect(ids(growing)).toEqual(['QueueBacklogGrowing']);
    const draining = minutes(5, (m, i) => (m.queue = { waiting: 300 - i * 40, active: 4, delayed: 0, failed: 0 }));
    expect(ids(draining)).toEqual([]);
    const smallGrowing = minutes(5, (m, i) => (m.queue = { waiting: i * 10, active: 4, delayed: 0, failed: 0 }));
    expect(ids(smallGrowing)).toEqual([]);
  });

  it('failure rate above its threshold fires', () => {
    const failing = minutes(5, (m) => {
      m.jobsOk = 6;
      m.jobsFailed = 4;
    });
    expect(ids(failing)).toEqual(['FailureRateHigh']);
    expect(
      ids(
        minutes(5, (m) => {
          m.jobsOk = 99;
          m.jobsFailed = 1;
        }),
      ),
    ).toEqual([]);
  });

  it('an open circuit of any process fires; half-open and closed do not', () => {
    const at = Date.now();
    expect(
      ids(minutes(5), [
        { instance: 'a', tier: 'redis', state: 'open', at },
        { instance: 'b', tier: 'redis', state: 'closed', at },
      ]),
    ).toEqual(['CacheCircuitOpen']);
    expect(ids(minutes(5), [{ instance: 'a', tier: 'redis', state: 'half-open', at }])).toEqual([]);
  });
});
