import { scratch } from '../scratch.js';

/**
 * Majority (mode) filter of a label map in a (2r+1)² window, for boundary pixels only. An upscaled
 * small raster's colour boundaries wobble by a fraction of an input pixel at every input pixel (the
 * interpolated antialiasing is not a straight line); potrace follows wobbles over half a tracing
 * pixel, so at a large upscale a circle becomes hundreds of short curves. The mode filter removes
 * wobbles shorter than the window and keeps straight edges where they are; corners round by about r/2.
 * Reads `labels`, writes the result back into it. -1 (transparent) is a label like any other.
 */
export function modeFilterLabels(labels: Int16Array, w: number, h: number, r: number): void {
  if (r <= 0) return;
  let max = 0;
  for (let p = 0; p < labels.length; p++) if (labels[p] > max) max = labels[p];
  const counts = new Int32Array(max + 2); // label l counted at l + 1
  const out = scratch('smooth-labels.out', Int16Array, labels.length);
  out.set(labels);
  const touched: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const own = labels[p];
      // Inside a region (4 neighbours alike) nothing changes.
      if (
        (x === 0 || labels[p - 1] === own) &&
        (x === w - 1 || labels[p + 1] === own) &&
        (y === 0 || labels[p - w] === own) &&
        (y === h - 1 || labels[p + w] === own)
      )
        continue;
      let best = own,
        bestN = 0;
      for (let yy = Math.max(0, y - r), y1 = Math.min(h - 1, y + r); yy <= y1; yy++) {
        for (let xx = Math.max(0, x - r), x1 = Math.min(w - 1, x + r); xx <= x1; xx++) {
          const l = labels[yy * w + xx] + 1;
          if (counts[l] === 0) touched.push(l);
          counts[l]++;
        }
      }
      bestN = counts[own + 1];
      for (const l of touched) {
        if (counts[l] > bestN) {
          bestN = counts[l];
          best = l - 1;
        }
        counts[l] = 0;
      }
      touched.length = 0;
      out[p] = best;
    }
  }
  labels.set(out);
}
