/**
 * Reading our own SVG output back in tests: its paths, each path's subpaths as polygons (curves
 * sampled, arcs as chords) in output pixels, and their areas.
 */
export interface SvgPath {
  id?: string;
  fill: string;
  stroke?: string;
  d: string;
}

/** The group transform `matrix(k 0 0 -k 0 H)` every output carries: [k, H]. */
function frameOf(svg: string): [number, number] {
  const m = /<g transform="matrix\(([\d.e-]+) 0 0 -([\d.e-]+) 0 ([\d.e-]+)\)"/.exec(svg);
  return m ? [Number(m[1]), Number(m[3])] : [1, 0];
}

export function svgPaths(svg: string): SvgPath[] {
  return [...svg.matchAll(/<path([^>]*)\/?>/g)].map((m) => {
    const attr = (n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(m[1])?.[1];
    return { id: attr('id'), fill: attr('fill') ?? '', stroke: attr('stroke'), d: attr('d') ?? '' };
  });
}

/**
 * The shapes: filled paths. A `stacking=cutout` output also strokes seam fillers (`fill="none"`)
 * under them, which cover no area of their own (algorithms/cutout.ts).
 */
export const svgShapes = (svg: string): SvgPath[] => svgPaths(svg).filter((p) => p.fill !== 'none');

/** `#abc` / `#aabbcc` / `aabbcc` as `aabbcc`. */
export const hex6 = (c: string): string => {
  const h = c.replace('#', '').toLowerCase();
  return h.length === 3 ? [...h].map((x) => x + x).join('') : h;
};

/** Every fill, stroke and stop colour of an SVG (gradient references excluded), as `aabbcc`. */
export function svgColours(svg: string): string[] {
  const fills = [...svg.matchAll(/(?:fill|stroke|stop-color)="(#[0-9a-fA-F]{3,6})"/g)].map((m) => hex6(m[1]));
  return [...new Set(fills)];
}

const ARITY: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };

/** The subpaths of path data as polygons in output pixels. */
export function subpaths(d: string, svg: string): number[][] {
  const [k, H] = frameOf(svg);
  const out: number[][] = [];
  let cur: number[] = [];
  let x = 0,
    y = 0,
    sx = 0,
    sy = 0;
  const tokens = d.match(/[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/g) ?? [];
  let i = 0;
  let cmd = '';
  const num = () => Number(tokens[i++]);
  const push = (px: number, py: number) => cur.push(px * k, H - py * k);
  const bez = (pts: number[]) => {
    // Sampled cubic (or quadratic given as cubic) from the current point.
    for (let s = 1; s <= 8; s++) {
      const t = s / 8,
        u = 1 - t;
      push(
        u * u * u * x + 3 * u * u * t * pts[0] + 3 * u * t * t * pts[2] + t * t * t * pts[4],
        u * u * u * y + 3 * u * u * t * pts[1] + 3 * u * t * t * pts[3] + t * t * t * pts[5],
      );
    }
  };
  while (i < tokens.length) {
    if (/[a-zA-Z]/.test(tokens[i])) cmd = tokens[i++];
    const c = cmd.toLowerCase(),
      rel = cmd === c;
    if (c === 'z') {
      if (cur.length) out.push(cur);
      cur = [];
      x = sx;
      y = sy;
      continue;
    }
    const a = Array.from({ length: ARITY[c] }, num);
    const ox = rel ? x : 0,
      oy = rel ? y : 0;
    if (c === 'm') {
      if (cur.length) out.push(cur);
      cur = [];
      x = sx = a[0] + ox;
      y = sy = a[1] + oy;
      push(x, y);
      cmd = rel ? 'l' : 'L';
    } else if (c === 'l' || c === 't') [x, y] = [a[0] + ox, a[1] + oy];
    else if (c === 'h') x = a[0] + ox;
    else if (c === 'v') y = a[0] + oy;
    else if (c === 'a') [x, y] = [a[5] + ox, a[6] + oy];
    else if (c === 'c') {
      bez([a[0] + ox, a[1] + oy, a[2] + ox, a[3] + oy, a[4] + ox, a[5] + oy]);
      [x, y] = [a[4] + ox, a[5] + oy];
      continue;
    } else if (c === 's' || c === 'q') {
      // Control points approximated by the chord: areas only need to be close.
      [x, y] = [a[2] + ox, a[3] + oy];
    }
    if (c !== 'm') push(x, y);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Absolute area of a polygon (x, y pairs). */
export function polygonArea(p: number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i += 2) {
    const j = (i + 2) % p.length;
    s += p[i] * p[j + 1] - p[j] * p[i + 1];
  }
  return Math.abs(s) / 2;
}

/** Path data command letters used. */
export const commands = (d: string): Set<string> => new Set(d.match(/[a-zA-Z]/g) ?? []);
