/**
 * `background=remove`: the region of the most common border label that touches the border
 * (4-connected) becomes transparent (-1). An image whose border is mostly transparent already has
 * its background undrawn; nothing changes then. Returns the label removed, or -1.
 */
export function removeBackground(labels: Int16Array, w: number, h: number): number {
  const counts = new Map<number, number>();
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(x, (h - 1) * w + x);
  for (let y = 1; y < h - 1; y++) border.push(y * w, y * w + w - 1);
  for (const p of border) counts.set(labels[p], (counts.get(labels[p]) ?? 0) + 1);
  const bg = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
  if (bg < 0) return -1;
  const queue = new Int32Array(w * h);
  let tail = 0;
  for (const p of border)
    if (labels[p] === bg) {
      labels[p] = -1;
      queue[tail++] = p;
    }
  const visit = (q: number) => {
    if (labels[q] !== bg) return;
    labels[q] = -1;
    queue[tail++] = q;
  };
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const x = p % w;
    if (x > 0) visit(p - 1);
    if (x < w - 1) visit(p + 1);
    if (p >= w) visit(p - w);
    if (p + w < labels.length) visit(p + w);
  }
  return bg;
}
