import type { ConvertOptions } from '../options.js';
import type { Layer } from '../svg.js';
import type { LayerPlan } from './layers.js';
import { removeBackground } from './background.js';
import { parsePalette, snapToPalette } from './snap-palette.js';
import { dropSpeckles } from './speckles.js';

/** The layer plan fields the vector options rewrite (see planLayers). */
export type PlanLabels = Pick<LayerPlan, 'labels' | 'colours' | 'order'>;

/** True when any option beyond mode and colors is set: such outputs also carry per-colour path ids. */
export const hasVectorControls = (o: ConvertOptions): boolean =>
  o.palette !== undefined ||
  o.background !== undefined ||
  o.minArea !== undefined ||
  o.stacking !== undefined ||
  o.curves !== undefined;

/**
 * Stable ids, one per colour, so an editor selects a colour at once: `c-RRGGBB` for flat fills
 * (`c-RRGGBB-2`, … for a colour drawn by more than one layer), `gradient-<n>` for gradient fills.
 */
export function nameLayers(layers: Layer[]): void {
  let g = 0;
  const seen = new Map<string, number>();
  for (const l of layers) {
    const base = l.gradient ? `gradient-${g++}` : `c-${l.color.toString(16).padStart(6, '0')}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    l.id = n === 1 ? base : `${base}-${n}`;
  }
}

/** Smallest shape in tracing pixels: `minArea` (input px²) at the tracing scale, else potrace's turdsize + 1. */
export const minPixels = (o: ConvertOptions, scale: number, turdsize: number): number =>
  o.minArea !== undefined ? Math.ceil(o.minArea * scale * scale) : turdsize + 1;

/**
 * Applies `background`, `minArea` (for cutout also the default speck size) and `palette` to a
 * layer plan, in that order: the background is the region as extracted, specks are judged after
 * it is gone, and colours snap last so regions that meet the same palette colour merge. Layers are
 * then ordered again, bottom (largest) first.
 */
export function applyVectorOptions(plan: PlanLabels, o: ConvertOptions, w: number, smallest: number): PlanLabels {
  if (!hasVectorControls(o)) return plan;
  const { labels } = plan;
  let colours = plan.colours;
  if (o.background === 'remove') removeBackground(labels, w, labels.length / w);
  // An explicit minArea bounds every shape (4-connected); cutout's default speck filter stands in
  // for potrace's, which keeps a thin diagonal line (8-connected).
  if (o.minArea !== undefined) dropSpeckles(labels, w, smallest);
  else if (o.stacking === 'cutout') dropSpeckles(labels, w, smallest, 8);
  if (o.palette !== undefined) {
    const snapped = snapToPalette(
      labels,
      colours.map((c) => c.color),
      parsePalette(o.palette),
    );
    colours = snapped.colours.map((color) => ({ color }));
  }
  const area = new Float64Array(colours.length);
  for (let p = 0; p < labels.length; p++) if (labels[p] >= 0) area[labels[p]]++;
  const order = colours
    .map((_, i) => i)
    .filter((i) => area[i] > 0)
    .sort((a, b) => area[b] - area[a]);
  return { labels, colours, order };
}
