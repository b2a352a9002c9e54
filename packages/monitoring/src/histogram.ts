/**
 * Latency histograms that several processes can add up in Redis: fixed bucket upper bounds (ms),
 * counts stored per bucket index. Percentiles interpolate inside the bucket, which is precise
 * enough for p50/p95 trends and thresholds.
 */
export const LATENCY_BOUNDS_MS = [
  0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 25, 50, 75, 100, 150, 250, 500, 750, 1000, 1500, 2500, 5000, 7500, 10_000, 15_000,
  30_000, 60_000, 120_000,
] as const;

export function bucketIndex(ms: number): number {
  for (let i = 0; i < LATENCY_BOUNDS_MS.length; i++) if (ms <= LATENCY_BOUNDS_MS[i]) return i;
  return LATENCY_BOUNDS_MS.length;
}

/** counts[i] = observations in bucket i; returns the q-quantile in ms, or undefined with no data. */
export function quantile(counts: ReadonlyArray<number>, q: number): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (!c) continue;
    if (seen + c >= rank) {
      const lo = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      const hi = LATENCY_BOUNDS_MS[i] ?? LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] * 2;
      return lo + (hi - lo) * Math.min(1, Math.max(0, (rank - seen) / c));
    }
    seen += c;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

export function addCounts(into: number[], from: ReadonlyArray<number>): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}
