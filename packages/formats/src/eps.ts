import type { Paint, Scene, Segment, Stop } from './scene.js';
import { PT_PER_PX } from './pdf.js';

/**
 * EPS 3.0 written directly (PostScript is a few operators; no maintained npm writer exists). Paths
 * keep their Béziers (curveto); gradients are LanguageLevel 3 smooth shadings (`shfill` clipped to
 * the shape), so nothing is banded. PostScript has no transparency: opacity is dropped (tracefleet's
 * SVGs are opaque).
 */
const num = (v: number) => String(+v.toFixed(3));
const rgb = (c: [number, number, number]) => c.map((v) => num(v / 255)).join(' ');

function pathOps(segments: Segment[]): string {
  const out: string[] = ['newpath'];
  for (const s of segments) {
    if (s.op === 'Z') out.push('closepath');
    else out.push(`${s.p.map(num).join(' ')} ${s.op === 'M' ? 'moveto' : s.op === 'L' ? 'lineto' : 'curveto'}`);
  }
  return out.join('\n');
}

/** A type 2 function per pair of stops, stitched by a type 3 (as PDF does). */
function shadingFunction(stops: Stop[]): string {
  const pieces = stops
    .slice(1)
    .map((s, i) => `<< /FunctionType 2 /Domain [0 1] /C0 [${rgb(stops[i].color)}] /C1 [${rgb(s.color)}] /N 1 >>`);
  if (pieces.length === 1) return pieces[0];
  const bounds = stops.slice(1, -1).map((s) => num(s.offset));
  return `<< /FunctionType 3 /Domain [0 1] /Functions [${pieces.join(' ')}] /Bounds [${bounds.join(' ')}] /Encode [${pieces.map(() => '0 1').join(' ')}] >>`;
}

/** Paints the current path: filled, or for a seam filler stroked `stroke` px wide (a shading: through `strokepath`). */
function fillOps(paint: Paint, evenOdd: boolean, stroke?: number): string {
  const pen = stroke ? `${num(stroke)} setlinewidth 1 setlinejoin ` : '';
  if (paint.kind === 'solid')
    return `${pen}${rgb(paint.color)} setrgbcolor ${stroke ? 'stroke' : evenOdd ? 'eofill' : 'fill'}`;
  if (stroke) return `${pen}strokepath\n${fillOps(paint, false)}`;
  const coords =
    paint.kind === 'linear'
      ? { type: 2, c: [paint.x1, paint.y1, paint.x2, paint.y2] }
      : { type: 3, c: [paint.fx, paint.fy, 0, paint.cx, paint.cy, paint.r] };
  return [
    `gsave ${evenOdd ? 'eoclip' : 'clip'} newpath`,
    `[${paint.matrix.map(num).join(' ')}] concat`,
    `<< /ShadingType ${coords.type} /ColorSpace /DeviceRGB /Coords [${coords.c.map(num).join(' ')}]`,
    `/Extend [true true] /Function ${shadingFunction(paint.stops)} >> shfill grestore`,
  ].join('\n');
}

export function renderEps(scene: Scene): Buffer {
  const w = scene.width * PT_PER_PX;
  const h = scene.height * PT_PER_PX;
  const body = scene.shapes.map(
    (s) => `${pathOps(s.segments)}\n${fillOps(s.paint, s.fillRule === 'evenodd', s.stroke)}`,
  );
  const ps = [
    '%!PS-Adobe-3.0 EPSF-3.0',
    `%%BoundingBox: 0 0 ${Math.ceil(w)} ${Math.ceil(h)}`,
    `%%HiResBoundingBox: 0 0 ${num(w)} ${num(h)}`,
    '%%Creator: tracefleet',
    '%%LanguageLevel: 3',
    '%%Pages: 1',
    '%%EndComments',
    '%%Page: 1 1',
    'save',
    // SVG pixels, y down → points, y up.
    `0 ${num(h)} translate ${num(PT_PER_PX)} ${num(-PT_PER_PX)} scale`,
    ...body,
    'restore',
    'showpage',
    '%%EOF',
    '',
  ];
  return Buffer.from(ps.join('\n'), 'latin1');
}
