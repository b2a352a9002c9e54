/**
 * `minArea`: every 4-connected region of one label smaller than `minPixels` takes the label most
 * of its outside neighbours have (transparent included), smallest regions first, so no shape of
 * the output is smaller. 4-connected, as shapes are outlined along pixel edges.
 * `connectivity` 8 measures regions joined at corners as one, as potrace's speck filter does: a
 * thin diagonal line is many 4-connected specks but one 8-connected region, and is kept.
 */
export function dropSpeckles(labels: Int16Array, w: number, minPixels: number, connectivity: 4 | 8 = 4): void {
  if (minPixels <= 1) return;
  const n = labels.length;
  const comp = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const small: Array<{ seed: number; size: number }> = [];
  const flood = (seed: number, id: number): number => {
    const l = labels[seed];
    let tail = 0;
    const visit = (q: number) => {
      if (comp[q] === id || labels[q] !== l) return;
      comp[q] = id;
      queue[tail++] = q;
    };
    visit(seed);
    for (let head = 0; head < tail; head++) {
      const p = queue[head];
      const x = p % w;
      if (x > 0) visit(p - 1);
      if (x < w - 1) visit(p + 1);
      if (p >= w) visit(p - w);
      if (p + w < n) visit(p + w);
      if (connectivity === 8) {
        if (p >= w && x > 0) visit(p - w - 1);
        if (p >= w && x < w - 1) visit(p - w + 1);
        if (p + w < n && x > 0) visit(p + w - 1);
        if (p + w < n && x < w - 1) visit(p + w + 1);
      }
    }
    return tail;
  };
  let id = 0;
  for (let p = 0; p < n; p++) {
    if (comp[p] >= 0 || labels[p] < 0) continue;
    const size = flood(p, id++);
    if (size < minPixels) small.push({ seed: p, size });
  }
  small.sort((a, b) => a.size - b.size);
  for (const s of small) {
    if (labels[s.seed] < 0) continue;
    // Measured again: earlier merges may have grown it (or changed its label).
    const size = flood(s.seed, id++);
    if (size >= minPixels) continue;
    const votes = new Map<number, number>();
    const own = labels[s.seed];
    for (let k = 0; k < size; k++) {
      const p = queue[k];
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p >= w ? p - w : -1, p + w < n ? p + w : -1]) {
        if (q >= 0 && labels[q] !== own) votes.set(labels[q], (votes.get(labels[q]) ?? 0) + 1);
      }
    }
    if (votes.size === 0) continue; // the whole picture is one region
    let best = -1,
      bestVotes = -1;
    for (const [l, v] of votes)
      if (v > bestVotes || (v === bestVotes && l > best)) {
        best = l;
        bestVotes = v;
      }
    for (let k = 0; k < size; k++) labels[queue[k]] = best;
  }
}
