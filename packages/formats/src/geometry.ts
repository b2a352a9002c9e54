/** 2-D affine matrix [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f (SVG/PDF order). */
export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m · n: apply n first, then m. */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

const TRANSFORM = /(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)/g;

/** An SVG `transform` attribute as one matrix. */
export function parseTransform(s: string | undefined): Matrix {
  let m: Matrix = IDENTITY;
  if (!s) return m;
  for (const [, fn, argText] of s.matchAll(TRANSFORM)) {
    const a = argText
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    let t: Matrix;
    if (fn === 'matrix') t = [a[0], a[1], a[2], a[3], a[4], a[5]];
    else if (fn === 'translate') t = [1, 0, 0, 1, a[0] ?? 0, a[1] ?? 0];
    else if (fn === 'scale') t = [a[0], 0, 0, a[1] ?? a[0], 0, 0];
    else if (fn === 'rotate') {
      const r = ((a[0] ?? 0) * Math.PI) / 180;
      const [cx, cy] = [a[1] ?? 0, a[2] ?? 0];
      t = multiply(multiply([1, 0, 0, 1, cx, cy], [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]), [
        1,
        0,
        0,
        1,
        -cx,
        -cy,
      ]);
    } else if (fn === 'skewX') t = [1, 0, Math.tan(((a[0] ?? 0) * Math.PI) / 180), 1, 0, 0];
    else t = [1, Math.tan(((a[0] ?? 0) * Math.PI) / 180), 0, 1, 0, 0];
    m = multiply(m, t);
  }
  return m;
}

/**
 * Points of a cubic Bézier after its start, flattened until every chord is within `tolerance` of the
 * curve (adaptive subdivision on the control polygon's flatness).
 */
export function flattenCubic(
  p0: readonly [number, number],
  c: readonly number[],
  tolerance: number,
  out: Array<[number, number]>,
  depth = 0,
): void {
  const [x0, y0] = p0;
  const [x1, y1, x2, y2, x3, y3] = c;
  // Distance of the control points from the chord bounds the curve's deviation from it.
  const ux = 3 * x1 - 2 * x0 - x3,
    uy = 3 * y1 - 2 * y0 - y3;
  const vx = 3 * x2 - 2 * x3 - x0,
    vy = 3 * y2 - 2 * y3 - y0;
  const flatness = Math.max(ux * ux, vx * vx) + Math.max(uy * uy, vy * vy);
  if (depth >= 16 || flatness <= 16 * tolerance * tolerance) {
    out.push([x3, y3]);
    return;
  }
  // de Casteljau at t = 1/2.
  const ax = (x0 + x1) / 2,
    ay = (y0 + y1) / 2,
    bx = (x1 + x2) / 2,
    by = (y1 + y2) / 2,
    cx = (x2 + x3) / 2,
    cy = (y2 + y3) / 2;
  const dx = (ax + bx) / 2,
    dy = (ay + by) / 2,
    ex = (bx + cx) / 2,
    ey = (by + cy) / 2;
  const mx = (dx + ex) / 2,
    my = (dy + ey) / 2;
  flattenCubic(p0, [ax, ay, dx, dy, mx, my], tolerance, out, depth + 1);
  flattenCubic([mx, my], [ex, ey, cx, cy, x3, y3], tolerance, out, depth + 1);
}
