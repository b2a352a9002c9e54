import { XMLParser } from 'fast-xml-parser';
import { TracefleetError } from '@tracefleet/errors';
import { IDENTITY, multiply, parseTransform, type Matrix } from './geometry.js';
import { parsePathData, type Segment } from './path-data.js';

/**
 * The drawing of an SVG as every output writer consumes it: filled shapes in paint order, in output
 * pixels (y down), with their paint resolved. It covers what tracefleet's SVGs are made of (the
 * element set assertSafeSvg allows: paths and basic shapes in groups with transforms, flat fills and
 * linear/radial gradients). The one stroke the pipeline writes is a cutout's seam filler
 * (`fill="none"` with `stroke` and `stroke-width` on the path itself): it becomes a stroked shape,
 * which PDF and EPS draw and DXF leaves out (it is no outline to cut). Other strokes are not drawn.
 */
export type Rgb = [number, number, number];

export interface Stop {
  offset: number;
  color: Rgb;
  opacity: number;
}

interface GradientBase {
  /** Gradient space → output pixels. */
  matrix: Matrix;
  /** Offsets in [0, 1], non-decreasing, the first at 0 and the last at 1. */
  stops: Stop[];
}
export type Paint =
  | { kind: 'solid'; color: Rgb }
  | (GradientBase & { kind: 'linear'; x1: number; y1: number; x2: number; y2: number })
  | (GradientBase & { kind: 'radial'; cx: number; cy: number; r: number; fx: number; fy: number });

export interface Shape {
  segments: Segment[];
  fillRule: 'nonzero' | 'evenodd';
  paint: Paint;
  /** fill-opacity × opacity of the element and its groups. */
  opacity: number;
  /**
   * When set, the path is stroked this wide (output px, round joins) in `paint` instead of filled:
   * a seam filler under a cutout's shapes (see the top of this file).
   */
  stroke?: number;
}

export interface Scene {
  width: number;
  height: number;
  shapes: Shape[];
}

export type { Segment } from './path-data.js';

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
type Attrs = Record<string, string>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  processEntities: false,
});

const NAMED: Record<string, Rgb> = {
  black: [0, 0, 0],
  white: [255, 255, 255],
  red: [255, 0, 0],
  lime: [0, 255, 0],
  green: [0, 128, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  gray: [128, 128, 128],
  grey: [128, 128, 128],
  currentcolor: [0, 0, 0],
};

export function parseColor(v: string): Rgb | undefined {
  const s = v.trim().toLowerCase();
  if (s.startsWith('#')) {
    const h = s.length === 4 ? [...s.slice(1)].map((c) => c + c).join('') : s.slice(1, 7);
    const n = parseInt(h, 16);
    return Number.isNaN(n) || h.length !== 6 ? undefined : [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const rgb = /^rgba?\(([^)]*)\)$/.exec(s);
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[\s,/]+/).map((p) => (p.endsWith('%') ? parseFloat(p) * 2.55 : parseFloat(p)));
    return [r, g, b].map((c) => Math.max(0, Math.min(255, Math.round(c)))) as Rgb;
  }
  return NAMED[s];
}

function tagOf(n: Node): string {
  return Object.keys(n).find((k) => k !== ':@')!;
}
function childrenOf(n: Node): Node[] {
  return (n[tagOf(n)] as Node[] | undefined) ?? [];
}

/** Presentation attributes and the `style` declarations that override them. */
function attrsOf(n: Node): Attrs {
  const a = { ...(n[':@'] ?? {}) };
  if (a.style)
    for (const decl of a.style.split(';')) {
      const i = decl.indexOf(':');
      if (i > 0) a[decl.slice(0, i).trim()] = decl.slice(i + 1).trim();
    }
  return a;
}

/** A length: plain or px number, or a percentage of `ref`. */
function length(v: string | undefined, ref: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = parseFloat(v);
  if (Number.isNaN(n)) return fallback;
  return v.trim().endsWith('%') ? (n / 100) * ref : n;
}

interface GradientDef {
  attrs: Attrs;
  stops: Stop[];
  kind: 'linear' | 'radial';
}

function readStops(n: Node): Stop[] {
  const stops: Stop[] = [];
  for (const c of childrenOf(n)) {
    if (tagOf(c) !== 'stop') continue;
    const a = attrsOf(c);
    const raw = a.offset ?? '0';
    const off = raw.trim().endsWith('%') ? parseFloat(raw) / 100 : parseFloat(raw);
    stops.push({
      offset: Math.max(0, Math.min(1, Number.isNaN(off) ? 0 : off)),
      color: parseColor(a['stop-color'] ?? 'black') ?? [0, 0, 0],
      opacity: a['stop-opacity'] === undefined ? 1 : Number(a['stop-opacity']),
    });
  }
  return stops;
}

function collectGradients(nodes: Node[], into: Map<string, GradientDef>): void {
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === 'linearGradient' || tag === 'radialGradient') {
      const attrs = attrsOf(n);
      if (attrs.id)
        into.set(attrs.id, { attrs, stops: readStops(n), kind: tag === 'linearGradient' ? 'linear' : 'radial' });
    } else if (tag !== '#text') collectGradients(childrenOf(n), into);
  }
}

/** A gradient with what it inherits through `href` (attributes it does not set, stops when it has none). */
function resolveGradient(id: string, defs: Map<string, GradientDef>): GradientDef | undefined {
  let g = defs.get(id);
  if (!g) return undefined;
  const seen = new Set([id]);
  let attrs = g.attrs;
  let stops = g.stops;
  for (;;) {
    const ref: string | undefined = (g.attrs.href ?? g.attrs['xlink:href'])?.replace(/^#/, '');
    if (!ref || seen.has(ref) || !defs.has(ref)) break;
    seen.add(ref);
    g = defs.get(ref)!;
    attrs = { ...g.attrs, ...attrs };
    if (!stops.length) stops = g.stops;
  }
  return { attrs, stops, kind: defs.get(id)!.kind };
}

/** Stops made ready for a shading: sorted, within [0, 1], and spanning it. */
function normalizeStops(stops: Stop[]): Stop[] {
  let last = 0;
  const out = stops.map((s) => {
    last = Math.max(last, s.offset);
    return { ...s, offset: last };
  });
  if (out[0].offset > 0) out.unshift({ ...out[0], offset: 0 });
  if (out[out.length - 1].offset < 1) out.push({ ...out[out.length - 1], offset: 1 });
  return out;
}

function bboxOf(segments: Segment[]): [number, number, number, number] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const s of segments) {
    if (s.op === 'Z') continue;
    for (let i = 0; i < s.p.length; i += 2) {
      x0 = Math.min(x0, s.p[i]);
      x1 = Math.max(x1, s.p[i]);
      y0 = Math.min(y0, s.p[i + 1]);
      y1 = Math.max(y1, s.p[i + 1]);
    }
  }
  return [x0, y0, x1, y1];
}

function paintOf(
  fill: string,
  segments: Segment[],
  ctm: Matrix,
  defs: Map<string, GradientDef>,
  viewport: [number, number],
): Paint | undefined {
  const url = /^url\(\s*['"]?#([^'")]+)['"]?\s*\)/.exec(fill);
  if (!url) {
    const color = parseColor(fill);
    return color && { kind: 'solid', color };
  }
  const g = resolveGradient(url[1], defs);
  if (!g || !g.stops.length) return undefined;
  const stops = normalizeStops(g.stops);
  if (stops.length === 2 && stops[0].offset === stops[1].offset) return { kind: 'solid', color: stops[1].color };
  const a = g.attrs;
  const bbox = a.gradientUnits !== 'userSpaceOnUse';
  let matrix = ctm;
  if (bbox) {
    const [x0, y0, x1, y1] = bboxOf(segments);
    matrix = multiply(matrix, [x1 - x0 || 1, 0, 0, y1 - y0 || 1, x0, y0]);
  }
  matrix = multiply(matrix, parseTransform(a.gradientTransform));
  const [w, h] = bbox ? [1, 1] : viewport;
  const diag = bbox ? 1 : Math.hypot(w, h) / Math.SQRT2;
  if (g.kind === 'linear')
    return {
      kind: 'linear',
      matrix,
      stops,
      x1: length(a.x1, w, 0),
      y1: length(a.y1, h, 0),
      x2: length(a.x2, w, w),
      y2: length(a.y2, h, 0),
    };
  const cx = length(a.cx, w, w / 2);
  const cy = length(a.cy, h, h / 2);
  return {
    kind: 'radial',
    matrix,
    stops,
    cx,
    cy,
    r: length(a.r, diag, diag / 2),
    fx: length(a.fx, w, cx),
    fy: length(a.fy, h, cy),
  };
}

function shapePathData(tag: string, a: Attrs, viewport: [number, number]): string | undefined {
  const [w, h] = viewport;
  const n = (k: string, ref: number) => length(a[k], ref, 0);
  switch (tag) {
    case 'path':
      return a.d;
    case 'rect': {
      const [x, y, rw, rh] = [n('x', w), n('y', h), n('width', w), n('height', h)];
      return rw > 0 && rh > 0 ? `M${x} ${y}H${x + rw}V${y + rh}H${x}Z` : undefined;
    }
    case 'circle':
    case 'ellipse': {
      const [cx, cy] = [n('cx', w), n('cy', h)];
      const rx = tag === 'circle' ? n('r', Math.hypot(w, h) / Math.SQRT2) : n('rx', w);
      const ry = tag === 'circle' ? rx : n('ry', h);
      return rx > 0 && ry > 0
        ? `M${cx - rx} ${cy}A${rx} ${ry} 0 1 0 ${cx + rx} ${cy}A${rx} ${ry} 0 1 0 ${cx - rx} ${cy}Z`
        : undefined;
    }
    case 'polygon':
    case 'polyline':
      return a.points ? `M${a.points}${tag === 'polygon' ? 'Z' : ''}` : undefined;
    default:
      return undefined;
  }
}

interface Inherited {
  ctm: Matrix;
  fill: string;
  fillRule: 'nonzero' | 'evenodd';
  fillOpacity: number;
  opacity: number;
}

function mapSegments(segments: Segment[], m: Matrix): Segment[] {
  const x = (px: number, py: number) => m[0] * px + m[2] * py + m[4];
  const y = (px: number, py: number) => m[1] * px + m[3] * py + m[5];
  return segments.map((s) => {
    if (s.op === 'Z') return s;
    const p = s.p.map((v, i) => (i % 2 === 0 ? x(v, s.p[i + 1]) : y(s.p[i - 1], v)));
    return { op: s.op, p } as Segment;
  });
}

/** Parses an SVG string into its Scene; PIPELINE_FAILED when it is not one (it is always our own result). */
export function parseScene(svg: string): Scene {
  let doc: Node[];
  try {
    doc = parser.parse(svg) as Node[];
  } catch (err) {
    throw new TracefleetError('PIPELINE_FAILED', `not an SVG document: ${(err as Error).message}`);
  }
  const root = doc.find((n) => tagOf(n) === 'svg');
  if (!root) throw new TracefleetError('PIPELINE_FAILED', 'not an SVG document: no <svg> element');
  const ra = attrsOf(root);
  const vb = ra.viewBox?.split(/[\s,]+/).map(Number);
  const viewBox = vb && vb.length === 4 && vb.every(Number.isFinite) && vb[2] > 0 && vb[3] > 0 ? vb : undefined;
  const width = length(ra.width, 0, viewBox?.[2] ?? 0);
  const height = length(ra.height, 0, viewBox?.[3] ?? 0);
  if (!(width > 0 && height > 0)) throw new TracefleetError('PIPELINE_FAILED', 'the SVG has no size');
  let rootMatrix: Matrix = IDENTITY;
  if (viewBox) {
    // preserveAspectRatio xMidYMid meet (the default): uniform scale, centred.
    const s = Math.min(width / viewBox[2], height / viewBox[3]);
    rootMatrix = [
      s,
      0,
      0,
      s,
      (width - viewBox[2] * s) / 2 - viewBox[0] * s,
      (height - viewBox[3] * s) / 2 - viewBox[1] * s,
    ];
  }
  const viewport: [number, number] = viewBox ? [viewBox[2], viewBox[3]] : [width, height];
  const defs = new Map<string, GradientDef>();
  collectGradients(childrenOf(root), defs);

  const shapes: Shape[] = [];
  const walk = (nodes: Node[], inh: Inherited) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === '#text' || tag === 'defs' || tag.endsWith('Gradient') || tag === 'title') continue;
      const a = attrsOf(n);
      if (a.display === 'none') continue;
      const here: Inherited = {
        ctm: a.transform ? multiply(inh.ctm, parseTransform(a.transform)) : inh.ctm,
        fill: a.fill ?? inh.fill,
        fillRule: a['fill-rule'] === 'evenodd' ? 'evenodd' : a['fill-rule'] === 'nonzero' ? 'nonzero' : inh.fillRule,
        fillOpacity: a['fill-opacity'] !== undefined ? Number(a['fill-opacity']) : inh.fillOpacity,
        opacity: inh.opacity * (a.opacity !== undefined ? Number(a.opacity) : 1),
      };
      if (tag === 'g' || tag === 'svg') {
        walk(childrenOf(n), here);
        continue;
      }
      const d = shapePathData(tag, a, viewport);
      const seam = here.fill === 'none' && tag === 'path' && a.stroke !== undefined && a.stroke !== 'none';
      if (!d || (here.fill === 'none' && !seam)) continue;
      const local = parsePathData(d);
      if (!local.length) continue;
      const paint = paintOf(seam ? a.stroke : here.fill, local, here.ctm, defs, viewport);
      const opacity = here.fillOpacity * here.opacity;
      if (!paint || !(opacity > 0)) continue;
      const shape: Shape = { segments: mapSegments(local, here.ctm), fillRule: here.fillRule, paint, opacity };
      if (seam) {
        // stroke-width in the element's units; its CTM scales it uniformly (ours: k 0 0 −k).
        const width = length(a['stroke-width'], Math.hypot(...viewport) / Math.SQRT2, 1);
        shape.stroke = width * Math.sqrt(Math.abs(here.ctm[0] * here.ctm[3] - here.ctm[1] * here.ctm[2]));
        if (!(shape.stroke > 0)) continue;
      }
      shapes.push(shape);
    }
  };
  walk(childrenOf(root), { ctm: rootMatrix, fill: 'black', fillRule: 'nonzero', fillOpacity: 1, opacity: 1 });
  return { width, height, shapes };
}

/** One colour standing for a paint where only flat colours exist (DXF layers): a gradient's middle. */
export function representativeColor(p: Paint): Rgb {
  if (p.kind === 'solid') return p.color;
  const n = p.stops.length;
  const mid = p.stops[Math.floor((n - 1) / 2)].color;
  const hi = p.stops[Math.ceil((n - 1) / 2)].color;
  return mid.map((c, i) => Math.round((c + hi[i]) / 2)) as Rgb;
}
