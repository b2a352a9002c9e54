/**
 * Cutout tracing: every colour region's outline is made of boundary chains shared with its
 * neighbours, so adjacent shapes meet exactly — no overlap and no gap, by construction. (Tracing
 * each region on its own, as potrace does, fits each side of a boundary separately.)
 *
 * The boundaries between differently labelled pixels run along the pixel lattice. They are cut
 * into chains at junctions (lattice points where three or more boundary edges meet); each chain is
 * simplified (and for `smooth`, fitted with Béziers) once, then every region walks its chains —
 * forward when it lies on the chain's left, reversed when on its right — into closed rings. Every
 * ring keeps its region on the same side, so outer rings and holes wind oppositely and the default
 * nonzero fill rule draws exactly the region.
 *
 * Shapes that only touch still show a seam in every renderer that antialiases shape by shape
 * (resvg, browsers, pdftoppm): a pixel half covered by A and half by B lets a quarter of the
 * background through (conflation). So each chain between two drawn regions is also given, as open
 * path data, to the lower of the two (`seams`): stroked in its paint under every shape, it is what
 * shows through instead — like the lower shape of a stacked picture, but not part of any shape.
 */
export type CurveStyle = 'smooth' | 'polygon';

/** Douglas–Peucker tolerance (px) per style. */
const TOLERANCE: Record<CurveStyle, number> = { polygon: 0.5, smooth: 0.4 };
/** A turn between two straight runs of at least this many pixel edges is a corner, kept exactly. */
const CORNER_RUN = 3;
/** A turn sharper than this (radians) at a smooth chain's node stays a corner. */
const CORNER = (65 * Math.PI) / 180;
/** Taubin smoothing steps, and passes over the residual per smoothing pass (smoothInPlace). */
const TAUBIN_LAMBDA = 0.5;
const TAUBIN_MU = -0.53;
const RESIDUAL_PASSES = 2;
/** Below this turn (radians) a node is never a corner. */
const SOFT_TURN = (20 * Math.PI) / 180;

/** A simplified chain: nodes (x, y pairs, tracing px) and per segment the two control points, or none for a line. */
interface Geometry {
  nodes: number[];
  /** Per segment i (node i → i+1): [c1x, c1y, c2x, c2y], or undefined for a straight segment. */
  controls: Array<number[] | undefined>;
}

interface Chain {
  geometry: Geometry;
  left: number;
  right: number;
  /** Lattice vertex ids of the ends (equal for a closed loop). */
  from: number;
  to: number;
  closed: boolean;
}

// Directions on the lattice (y down): right, down, left, up.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/** Path data per label (index = label; '' for none), in potrace's frame (1/10 tracing pixel, y up from the bottom edge). */
export interface CutoutTrace {
  /** Each label's region as closed rings. */
  paths: string[];
  /** Each label's seam filler: open chains it shares with labels drawn above it (see the top of this file). */
  seams: string[];
}

/**
 * Traces every label's region (negative labels are not drawn). `order` lists the drawn labels
 * bottom first; without it a lower label is drawn lower.
 */
export function traceCutout(
  labels: Int16Array,
  w: number,
  h: number,
  count: number,
  curves: CurveStyle,
  scale = 1,
  order?: readonly number[],
): CutoutTrace {
  // An upscaled input's staircase steps are `scale` tracing pixels long: smooth and simplify at its scale.
  const unit = Math.max(1, Math.round(scale));
  const tuning: Tuning = {
    // Capped at 3 units: 128 px inputs are traced at ×4 since v6 (and their labels mode-filtered
    // first), where 4 units simplified small dots away (bench:cutout, nmr: −0.011 → −0.006 vs stacked).
    tolerance: TOLERANCE[curves] * Math.min(unit, 3),
    cornerRun: CORNER_RUN * unit,
    passes: Math.min(32, 2 * unit * unit),
    taubin: unit > 1,
  };
  const W = w + 1;
  const lab = (x: number, y: number) => (x < 0 || y < 0 || x >= w || y >= h ? -1 : Math.max(-1, labels[y * w + x]));
  // Boundary edges: horizontal (x,y)→(x+1,y) at y*w+x; vertical (x,y)→(x,y+1) at y*W+x.
  const hOn = new Uint8Array(w * (h + 1));
  const vOn = new Uint8Array(W * h);
  for (let y = 0; y <= h; y++) for (let x = 0; x < w; x++) if (lab(x, y - 1) !== lab(x, y)) hOn[y * w + x] = 1;
  for (let y = 0; y < h; y++) for (let x = 0; x <= w; x++) if (lab(x - 1, y) !== lab(x, y)) vOn[y * W + x] = 1;
  const hSeen = new Uint8Array(hOn.length);
  const vSeen = new Uint8Array(vOn.length);

  /** The edge leaving (x, y) in direction d: [on, seen array, index]. */
  const edge = (x: number, y: number, d: number): [boolean, Uint8Array, number] => {
    switch (d) {
      case 0:
        return x < w ? [hOn[y * w + x] === 1, hSeen, y * w + x] : [false, hSeen, 0];
      case 2:
        return x > 0 ? [hOn[y * w + x - 1] === 1, hSeen, y * w + x - 1] : [false, hSeen, 0];
      case 1:
        return y < h ? [vOn[y * W + x] === 1, vSeen, y * W + x] : [false, vSeen, 0];
      default:
        return y > 0 ? [vOn[(y - 1) * W + x] === 1, vSeen, (y - 1) * W + x] : [false, vSeen, 0];
    }
  };
  const degree = (x: number, y: number) => {
    let n = 0;
    for (let d = 0; d < 4; d++) if (edge(x, y, d)[0]) n++;
    return n;
  };
  // The pixels on the left and the right of an edge walked from (x, y) in direction d (y down).
  const leftOf = (x: number, y: number, d: number) =>
    d === 0 ? lab(x, y - 1) : d === 1 ? lab(x, y) : d === 2 ? lab(x - 1, y) : lab(x - 1, y - 1);
  const rightOf = (x: number, y: number, d: number) =>
    d === 0 ? lab(x, y) : d === 1 ? lab(x - 1, y) : d === 2 ? lab(x - 1, y - 1) : lab(x, y - 1);

  const junction = new Uint8Array(W * (h + 1));
  for (let y = 0; y <= h; y++) for (let x = 0; x <= w; x++) if (degree(x, y) >= 3) junction[y * W + x] = 1;
  // The picture's corners stay sharp.
  for (const v of [0, w, h * W, h * W + w]) junction[v] = 1;

  const chains: Chain[] = [];
  const walk = (sx: number, sy: number, sd: number) => {
    const pts = [sx, sy];
    const left = leftOf(sx, sy, sd),
      right = rightOf(sx, sy, sd);
    let x = sx,
      y = sy,
      d = sd;
    for (;;) {
      const [, seen, i] = edge(x, y, d);
      seen[i] = 1;
      x += DX[d];
      y += DY[d];
      pts.push(x, y);
      if (junction[y * W + x] || (x === sx && y === sy)) break;
      // A pass-through vertex has exactly one other boundary edge.
      const back = (d + 2) & 3;
      let next = -1;
      for (let e = 0; e < 4; e++) if (e !== back && edge(x, y, e)[0]) next = e;
      d = next;
    }
    const closed = x === sx && y === sy && !junction[sy * W + sx];
    chains.push({ geometry: fit(pts, closed, curves, tuning), left, right, from: sy * W + sx, to: y * W + x, closed });
  };
  for (let y = 0; y <= h; y++)
    for (let x = 0; x <= w; x++) {
      if (!junction[y * W + x]) continue;
      for (let d = 0; d < 4; d++) {
        const [on, seen, i] = edge(x, y, d);
        if (on && !seen[i]) walk(x, y, d);
      }
    }
  // What is left are closed loops without a junction (an island inside one region); each has a horizontal edge.
  for (let y = 0; y <= h; y++) for (let x = 0; x < w; x++) if (hOn[y * w + x] && !hSeen[y * w + x]) walk(x, y, 0);

  const rank = new Int32Array(count).map((_, l) => l);
  order?.forEach((l, i) => (rank[l] = i));
  return { paths: assemble(chains, count, h), seams: seamFillers(chains, count, h, rank) };
}

/** Per label, the chains it shares with a label of higher `rank`, as open path data (closed loops stay closed). */
function seamFillers(chains: Chain[], count: number, h: number, rank: Int32Array): string[] {
  const out: string[] = new Array(count).fill('');
  const drawn = (l: number) => l >= 0 && l < count;
  for (const c of chains) {
    if (!drawn(c.left) || !drawn(c.right)) continue;
    const lower = rank[c.left] < rank[c.right] ? c.left : c.right;
    out[lower] += ring([[c, false]], h, c.closed);
  }
  return out;
}

/** Links each label's chains into rings and writes them as path data. */
function assemble(chains: Chain[], count: number, h: number): string[] {
  // Directed uses per label: chain index, reversed or not.
  const outgoing: Array<Map<number, Array<[number, boolean]>>> = Array.from({ length: count }, () => new Map());
  const closedRings: string[][] = Array.from({ length: count }, () => []);
  const add = (label: number, vertex: number, use: [number, boolean]) => {
    const m = outgoing[label];
    const list = m.get(vertex);
    if (list) list.push(use);
    else m.set(vertex, [use]);
  };
  chains.forEach((c, i) => {
    if (c.closed) {
      if (c.left >= 0 && c.left < count) closedRings[c.left].push(ring([[c, false]], h));
      if (c.right >= 0 && c.right < count) closedRings[c.right].push(ring([[c, true]], h));
      return;
    }
    if (c.left >= 0 && c.left < count) add(c.left, c.from, [i, false]);
    if (c.right >= 0 && c.right < count) add(c.right, c.to, [i, true]);
  });
  return outgoing.map((m, label) => {
    const rings = closedRings[label];
    for (const [start, list] of m) {
      while (list.length) {
        const seq: Array<[Chain, boolean]> = [];
        let [i, rev] = list.pop()!;
        for (;;) {
          const c = chains[i];
          seq.push([c, rev]);
          const end = rev ? c.from : c.to;
          if (end === start) break;
          const next = m.get(end)?.pop();
          if (!next) break; // cannot happen: every vertex has as many ways in as out for a label
          [i, rev] = next;
        }
        rings.push(ring(seq, h));
      }
    }
    return rings.join('');
  });
}

const num = (v: number) => String(Math.round(v * 100) / 100);
/** A tracing-pixel point in potrace's frame. */
const pt = (x: number, y: number, h: number) => `${num(x * 10)} ${num((h - y) * 10)}`;

/** One ring from chains walked forward or reversed, closed unless `close` is false. */
function ring(seq: Array<[Chain, boolean]>, h: number, close = true): string {
  let d = '';
  for (const [c, rev] of seq) {
    const { nodes, controls } = c.geometry;
    const n = nodes.length / 2;
    const at = (k: number) => (rev ? n - 1 - k : k);
    if (!d) d = `M${pt(nodes[at(0) * 2], nodes[at(0) * 2 + 1], h)}`;
    for (let k = 1; k < n; k++) {
      const a = at(k);
      const ctl = controls[rev ? a : a - 1];
      if (!ctl) d += `L${pt(nodes[a * 2], nodes[a * 2 + 1], h)}`;
      else {
        const [c1x, c1y, c2x, c2y] = rev ? [ctl[2], ctl[3], ctl[0], ctl[1]] : ctl;
        d += `C${pt(c1x, c1y, h)} ${pt(c2x, c2y, h)} ${pt(nodes[a * 2], nodes[a * 2 + 1], h)}`;
      }
    }
  }
  return close ? d + 'z' : d;
}

/** Fitting parameters at the tracing scale (traceCutout). */
interface Tuning {
  tolerance: number;
  cornerRun: number;
  /** Smoothing passes over the edge midpoints. */
  passes: number;
  /** Taubin smoothing (upscaled inputs), else plain passes with their shrinkage added back. */
  taubin: boolean;
}

/**
 * Simplifies a lattice chain (x, y pairs; a closed one repeats its first point last) and, for
 * `smooth`, fits Béziers through the kept nodes. Junction ends stay exactly where they are (the
 * chains meeting there share them), and so do corners: a turn between two straight runs of at
 * least `cornerRun` edges. Between those anchors the chain is the line through its edge midpoints
 * (where a pixel staircase's true edge lies), lightly smoothed, then simplified.
 */
function fit(pts: number[], closed: boolean, curves: CurveStyle, tuning: Tuning): Geometry {
  const n = pts.length / 2; // lattice points; edges = n - 1
  const edges = n - 1;
  const dir = (e: number) => {
    const k = ((e % edges) + edges) % edges;
    return (pts[k * 2 + 2] - pts[k * 2]) * 3 + (pts[k * 2 + 3] - pts[k * 2 + 1]);
  };
  // Length of the straight run ending with edge e (backwards) and starting with edge e (forwards).
  const runBack = (e: number) => {
    let r = 1;
    while (r < edges && (closed || e - r >= 0) && dir(e - r) === dir(e)) r++;
    return r;
  };
  const runFwd = (e: number) => {
    let r = 1;
    while (r < edges && (closed || e + r < edges) && dir(e + r) === dir(e)) r++;
    return r;
  };
  const anchors: number[] = closed ? [] : [0];
  for (let k = closed ? 0 : 1; k < (closed ? edges : n - 1); k++)
    if (dir(k - 1) !== dir(k) && runBack(k - 1) >= tuning.cornerRun && runFwd(k) >= tuning.cornerRun) anchors.push(k);
  if (!closed) anchors.push(n - 1);

  const nodes: number[] = [];
  const corner: boolean[] = [];
  const section = (a: number, b: number) => {
    // Lattice points a..b (indices modulo the loop), as anchor, edge midpoints, anchor.
    const at = (k: number) => (closed ? ((k % edges) + edges) % edges : k);
    const xs = [pts[at(a) * 2]],
      ys = [pts[at(a) * 2 + 1]];
    for (let k = a; k < b; k++) {
      const i = at(k),
        j = at(k + 1);
      xs.push((pts[i * 2] + pts[j * 2]) / 2);
      ys.push((pts[i * 2 + 1] + pts[j * 2 + 1]) / 2);
    }
    xs.push(pts[at(b) * 2]);
    ys.push(pts[at(b) * 2 + 1]);
    smoothInPlace(xs, ys, tuning.passes, tuning.taubin);
    const flat: number[] = [];
    for (let k = 0; k < xs.length; k++) flat.push(xs[k], ys[k]);
    const keptIdx = simplifyIndices(flat, tuning.tolerance);
    const first = nodes.length === 0;
    for (let j = first ? 0 : 1; j < keptIdx.length; j++) {
      const m = keptIdx[j];
      nodes.push(xs[m], ys[m]);
      const end = j === 0 || j === keptIdx.length - 1;
      corner.push(end || sharp(xs, ys, keptIdx[j - 1], m, keptIdx[j + 1], tuning.cornerRun));
    }
  };
  // A loop with no corner starts and ends at its first lattice point.
  if (closed && anchors.length === 0) anchors.push(0);
  if (closed) {
    for (let i = 0; i < anchors.length; i++)
      section(anchors[i], i + 1 < anchors.length ? anchors[i + 1] : anchors[0] + edges);
  } else for (let i = 0; i + 1 < anchors.length; i++) section(anchors[i], anchors[i + 1]);

  const segments = nodes.length / 2 - 1;
  if (curves === 'polygon' || segments < 1) return { nodes, controls: new Array(segments).fill(undefined) };
  return { nodes, controls: beziers(nodes, corner) };
}

/**
 * Smooths the points between the two (fixed) ends without shrinking them. Plain [1 2 1] passes
 * remove the pixel staircase but also pull every curve towards its chord: small shapes (a 128 px
 * logo's dashes and dots, a flag's thin lines) came out thinner and lost up to 0.02 SSIM against
 * stacked. Upscaled inputs (many passes) use Taubin's alternating shrink/inflate steps; at the
 * input's scale (two passes, too few for Taubin to flatten a staircase) the smoothing's residual
 * P − S is smoothed again and added back, which returns the slow part (the shrinkage) and not the
 * staircase. Measured on the corpus, cutout vs stacked (docs in README "Options").
 */
function smoothInPlace(xs: number[], ys: number[], passes: number, taubin: boolean): void {
  const n = xs.length;
  if (n < 3) return;
  if (taubin) {
    for (let pass = 0; pass < passes; pass++) {
      const f = pass % 2 ? TAUBIN_MU : TAUBIN_LAMBDA;
      step(xs, f);
      step(ys, f);
    }
    return;
  }
  const sx = xs.slice(),
    sy = ys.slice();
  for (let pass = 0; pass < passes; pass++) {
    step(sx, 0.5);
    step(sy, 0.5);
  }
  const rx = xs.map((v, k) => v - sx[k]),
    ry = ys.map((v, k) => v - sy[k]);
  for (let pass = 0; pass < RESIDUAL_PASSES * passes; pass++) {
    step(rx, 0.5);
    step(ry, 0.5);
  }
  for (let k = 1; k < n - 1; k++) {
    xs[k] = sx[k] + rx[k];
    ys[k] = sy[k] + ry[k];
  }
}

/** One pass moving each inner value by `f` of the way to its neighbours' mean (f = 0.5: [1 2 1]). */
function step(v: number[], f: number): void {
  let prev = v[0];
  for (let k = 1; k < v.length - 1; k++) {
    const cur = v[k];
    v[k] = cur + f * ((prev + v[k + 1]) / 2 - cur);
    prev = cur;
  }
}

const angle = (ax: number, ay: number, bx: number, by: number) => {
  const la = Math.hypot(ax, ay),
    lb = Math.hypot(bx, by);
  return la && lb ? Math.acos(Math.max(-1, Math.min(1, (ax * bx + ay * by) / (la * lb)))) : 0;
};

/**
 * A kept node m (between kept nodes a and b) is a corner when its turn is real and happens right
 * there: the points `q` either side of it already turn by half of it (along an arc the turn is
 * spread out, so that share is small).
 */
function sharp(xs: number[], ys: number[], a: number, m: number, b: number, q: number): boolean {
  const turn = angle(xs[m] - xs[a], ys[m] - ys[a], xs[b] - xs[m], ys[b] - ys[m]);
  if (turn > CORNER) return true;
  if (turn < SOFT_TURN) return false;
  const i = Math.max(a, m - q),
    j = Math.min(b, m + q);
  return angle(xs[m] - xs[i], ys[m] - ys[i], xs[j] - xs[m], ys[j] - ys[m]) >= turn / 2;
}

/** Douglas–Peucker keeping both ends: the indices of the kept points (x, y pairs in `p`). */
function simplifyIndices(p: number[], tol: number): number[] {
  const n = p.length / 2;
  if (n <= 2) return Array.from({ length: n }, (_, k) => k);
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: number[] = [0, n - 1];
  const t2 = tol * tol;
  while (stack.length) {
    const b = stack.pop()!,
      a = stack.pop()!;
    const ax = p[a * 2],
      ay = p[a * 2 + 1],
      dx = p[b * 2] - ax,
      dy = p[b * 2 + 1] - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1,
      worstD = t2;
    for (let k = a + 1; k < b; k++) {
      const px = p[k * 2] - ax,
        py = p[k * 2 + 1] - ay;
      let d2: number;
      if (len2 === 0) d2 = px * px + py * py;
      else {
        const cross = px * dy - py * dx;
        d2 = (cross * cross) / len2;
      }
      if (d2 > worstD) {
        worstD = d2;
        worst = k;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(a, worst, worst, b);
    }
  }
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (keep[k]) out.push(k);
  return out;
}

/**
 * Cubic segments through the nodes with tangents from the neighbouring nodes (Catmull–Rom,
 * scaled to each segment's length); sharp turns and open-chain ends stay corners.
 */
function beziers(nodes: number[], corner: boolean[]): Array<number[] | undefined> {
  const n = nodes.length / 2;
  // Unit tangent per node, or undefined at a corner (the ends are corners: junctions and anchors).
  const tangent: Array<[number, number] | undefined> = new Array(n);
  for (let k = 1; k < n - 1; k++) {
    if (corner[k]) continue;
    const prev = k - 1,
      next = k + 1;
    const ax = nodes[k * 2] - nodes[prev * 2],
      ay = nodes[k * 2 + 1] - nodes[prev * 2 + 1],
      bx = nodes[next * 2] - nodes[k * 2],
      by = nodes[next * 2 + 1] - nodes[k * 2 + 1];
    const la = Math.hypot(ax, ay),
      lb = Math.hypot(bx, by);
    if (la === 0 || lb === 0) continue;
    const turn = Math.acos(Math.max(-1, Math.min(1, (ax * bx + ay * by) / (la * lb))));
    if (turn > CORNER) continue;
    // Catmull–Rom: the chord between the neighbours, so a long straight side keeps its direction.
    const tx = ax + bx,
      ty = ay + by;
    const tl = Math.hypot(tx, ty);
    if (tl > 0) tangent[k] = [tx / tl, ty / tl];
  }
  const out: Array<number[] | undefined> = [];
  for (let k = 0; k < n - 1; k++) {
    const ta = tangent[k],
      tb = tangent[k + 1];
    const x0 = nodes[k * 2],
      y0 = nodes[k * 2 + 1],
      x1 = nodes[k * 2 + 2],
      y1 = nodes[k * 2 + 3];
    if (!ta && !tb) {
      out.push(undefined);
      continue;
    }
    const third = Math.hypot(x1 - x0, y1 - y0) / 3;
    const c1 = ta ? [x0 + ta[0] * third, y0 + ta[1] * third] : [x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3];
    const c2 = tb ? [x1 - tb[0] * third, y1 - tb[1] * third] : [x1 - (x1 - x0) / 3, y1 - (y1 - y0) / 3];
    out.push([c1[0], c1[1], c2[0], c2[1]]);
  }
  return out;
}
