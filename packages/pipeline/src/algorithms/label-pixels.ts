import { flatTolerance } from '../constants.js';
import type { RgbaImage } from '../image.js';
import { assignLabels, flatMask, refineEdgeLabels, type Palette } from './palette.js';

/** What extraction already computed for this image, when it ran in this thread (see Measurement). */
export interface Reusable {
  flat?: Uint8Array;
  flatLabels?: { colors: number[]; labels: Int16Array };
}

/**
 * Each pixel's palette index (-1: transparent): its nearest colour, then antialiased edge pixels
 * moved to the colours they mix (refineEdgeLabels). Extraction's labels are reused when it labelled
 * with exactly these colours, and its flat mask when there is one.
 */
export function labelPixels(
  image: RgbaImage,
  palette: Palette,
  lines: ReadonlySet<number>,
  reuse: Reusable,
  noisy: boolean,
): Int16Array {
  const labels = reusedLabels(reuse, palette.colors) ?? assignLabels(image, palette);
  if (palette.colors.length > 2)
    refineEdgeLabels(image, labels, palette, reuse.flat ?? flatMask(image, flatTolerance(noisy)), lines);
  return labels;
}

/**
 * Extraction's labels, when they were computed for exactly these colours. They are taken, not
 * copied (the caller refines them in place): `reuse.flatLabels` is cleared, and a later attempt
 * labels again — assignLabels gives the same labels, and most conversions have one attempt.
 */
function reusedLabels(reuse: Reusable, colors: readonly number[]): Int16Array | undefined {
  const l = reuse.flatLabels;
  if (!l || l.colors.length !== colors.length || l.colors.some((c, k) => c !== colors[k])) return undefined;
  reuse.flatLabels = undefined;
  return l.labels;
}
