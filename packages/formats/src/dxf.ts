import { aciHex, DxfWriter, LWPolylineFlags, TrueColor, Units } from '@tarikjabiri/dxf';
import { flattenCubic } from './geometry.js';
import { representativeColor, type Rgb, type Scene } from './scene.js';

export type DxfUnits = 'px' | 'mm';

export interface DxfOptions {
  units: DxfUnits;
  /** Pixels per inch when `units` is mm. */
  dpi: number;
}

/** Chord tolerance of the flattened curves, in output pixels (invisible at any laser's kerf). */
const TOLERANCE_PX = 0.05;

/** AutoCAD Color Index 1–255 as RGB, for readers that ignore true colour. */
const ACI: Rgb[] = Array.from({ length: 255 }, (_, i) => {
  const h = parseInt(aciHex(i + 1).replace('#', ''), 16);
  return [(h >> 16) & 255, (h >> 8) & 255, h & 255];
});

function nearestAci(c: Rgb): number {
  let best = 7;
  let bestD = Infinity;
  ACI.forEach((a, i) => {
    const d = (a[0] - c[0]) ** 2 + (a[1] - c[1]) ** 2 + (a[2] - c[2]) ** 2;
    if (d < bestD) [best, bestD] = [i + 1, d];
  });
  return best;
}

const hex = (c: Rgb) => c.map((v) => v.toString(16).padStart(2, '0')).join('');

/**
 * DXF AC1021 (AutoCAD 2007, @tarikjabiri/dxf): every subpath a closed LWPOLYLINE (Béziers
 * flattened), one layer per fill colour named `fill-<rrggbb>`, layer colour = the nearest ACI plus the
 * exact true colour (repeated on each entity, whose ACI stays ByLayer); gradient fills take the colour of their middle stops. Y up, origin bottom left;
 * px (unitless, 1 unit = 1 px) or mm at `dpi`. Shapes keep the SVG's paint order.
 */
export function renderDxf(scene: Scene, opts: DxfOptions): Buffer {
  const dxf = new DxfWriter();
  const k = opts.units === 'mm' ? 25.4 / opts.dpi : 1;
  dxf.setUnits(opts.units === 'mm' ? Units.Millimeters : Units.Unitless);
  const layers = new Set<string>();
  const tolerance = TOLERANCE_PX;
  for (const shape of scene.shapes) {
    if (shape.stroke) continue; // a seam filler hides a renderer's antialiasing, it is no outline to cut
    const color = representativeColor(shape.paint);
    const layerName = `fill-${hex(color)}`;
    const trueColor = TrueColor.fromRGB(...color);
    if (!layers.has(layerName)) {
      const layer = dxf.addLayer(layerName, nearestAci(color), 'Continuous');
      layer.trueColor = trueColor;
      layers.add(layerName);
    }
    let ring: Array<[number, number]> = [];
    const flush = () => {
      // A ring ending on its start repeats it: the closed flag already joins them.
      const last = ring[ring.length - 1];
      if (ring.length > 1 && last[0] === ring[0][0] && last[1] === ring[0][1]) ring.pop();
      if (ring.length >= 2)
        dxf.addLWPolyline(
          ring.map(([x, y]) => ({ point: { x: x * k, y: (scene.height - y) * k } })),
          // The true colour on the entity too: some readers ignore a layer's (dxf-parser among them).
          { flags: LWPolylineFlags.Closed, layerName, trueColor: String(trueColor) },
        );
      ring = [];
    };
    for (const s of shape.segments) {
      if (s.op === 'M') {
        flush();
        ring.push([s.p[0], s.p[1]]);
      } else if (s.op === 'L') ring.push([s.p[0], s.p[1]]);
      else if (s.op === 'C') flattenCubic(ring[ring.length - 1] ?? [0, 0], s.p, tolerance, ring);
      else {
        const start = ring[0];
        flush();
        if (start) ring.push(start);
      }
    }
    flush();
  }
  return Buffer.from(dxf.stringify(), 'utf8');
}
