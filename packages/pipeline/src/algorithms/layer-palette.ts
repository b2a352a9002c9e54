import type { FeaturePalette } from '../features.js';
import { capPalette, type Palette } from './palette.js';

/**
 * The colours one tracing pass draws: the features palette capped at `maxColors` (rarest colours
 * folded into their nearest neighbours), and which of them are line (stroke) colours, by index.
 */
export function layerPalette(full: FeaturePalette, maxColors: number): { palette: Palette; lines: Set<number> } {
  const palette = capPalette({ colors: full.colors, counts: full.counts }, maxColors);
  const lines = new Set(palette.colors.map((c, k) => (full.lineColors.has(c) ? k : -1)).filter((k) => k >= 0));
  return { palette, lines };
}
