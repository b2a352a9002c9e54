import type PDFDocumentType from 'pdfkit';
import type { Paint, Scene, Segment } from './scene.js';

/** CSS pixels to PDF points (96 px = 72 pt = 1 in). */
export const PT_PER_PX = 0.75;

const hex = (c: [number, number, number]) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');

/** A fixed creation date keeps the bytes a function of the drawing (ETags, caches). */
const EPOCH = new Date(0);

function tracePath(doc: PDFKit.PDFDocument, segments: Segment[]): void {
  for (const s of segments) {
    if (s.op === 'M') doc.moveTo(s.p[0], s.p[1]);
    else if (s.op === 'L') doc.lineTo(s.p[0], s.p[1]);
    else if (s.op === 'C') doc.bezierCurveTo(s.p[0], s.p[1], s.p[2], s.p[3], s.p[4], s.p[5]);
    else doc.closePath();
  }
}

function fillOf(doc: PDFKit.PDFDocument, paint: Paint): string | PDFKit.PDFGradient {
  if (paint.kind === 'solid') return hex(paint.color);
  // Smooth shadings (types 2 and 3) with a stitching function over the stops; the gradient's own
  // space is mapped by its matrix, then by the page's.
  const g =
    paint.kind === 'linear'
      ? doc.linearGradient(paint.x1, paint.y1, paint.x2, paint.y2)
      : doc.radialGradient(paint.fx, paint.fy, 0, paint.cx, paint.cy, paint.r);
  for (const s of paint.stops) g.stop(s.offset, hex(s.color), s.opacity);
  // pdfkit's typings miss setTransform (pdfkit ≥ 0.14 has it: the gradient's own matrix).
  (g as unknown as { setTransform(...m: number[]): void }).setTransform(...paint.matrix);
  return g;
}

/** pdfkit (with its font machinery) costs about a second to load: only processes that write a PDF pay it. */
let pdfkit: Promise<typeof PDFDocumentType> | undefined;

/** PDF 1.4 (pdfkit): one page of the SVG's size, Bézier paths, flat fills and smooth shadings (and seam filler strokes). */
export async function renderPdf(scene: Scene): Promise<Buffer> {
  const PDFDocument = await (pdfkit ??= import('pdfkit').then((m) => m.default));
  const doc = new PDFDocument({
    size: [scene.width * PT_PER_PX, scene.height * PT_PER_PX],
    margin: 0,
    compress: true,
    info: { Producer: 'tracefleet', Creator: 'tracefleet', CreationDate: EPOCH },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.scale(PT_PER_PX);
  for (const shape of scene.shapes) {
    doc.save();
    if (shape.opacity < 1) doc.fillOpacity(shape.opacity);
    tracePath(doc, shape.segments);
    if (shape.stroke)
      doc
        .lineWidth(shape.stroke)
        .lineJoin('round')
        .stroke(fillOf(doc, shape.paint) as string);
    else doc.fill(fillOf(doc, shape.paint) as string, shape.fillRule === 'evenodd' ? 'even-odd' : 'non-zero');
    doc.restore();
  }
  doc.end();
  return done;
}
