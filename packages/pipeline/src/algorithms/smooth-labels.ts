import { TracefleetError } from '@tracefleet/errors';
import { int16In, int16Out, SLOT, wasm } from '../wasm.js';

/**
 * Majority (mode) filter of a label map in a (2r+1)² window, for boundary pixels only. An upscaled
 * small raster's colour boundaries wobble by a fraction of an input pixel at every input pixel (the
 * interpolated antialiasing is not a straight line); potrace follows wobbles over half a tracing
 * pixel, so at a large upscale a circle becomes hundreds of short curves. The mode filter removes
 * wobbles shorter than the window and keeps straight edges where they are; corners round by about r/2.
 * Reads `labels`, writes the result back into it. -1 (transparent) is a label like any other; a tie
 * keeps the pixel's own label, else goes to the label met first in the window's scan order.
 * In C (wasm/labels.c): in JavaScript, counting the windows cost ≈ 4 ns per window pixel.
 */
export function modeFilterLabels(labels: Int16Array, w: number, h: number, r: number): void {
  if (r <= 0) return;
  const n = w * h;
  int16In(SLOT.labelMap, labels.subarray(0, n));
  if (wasm().tf_mode_filter_labels(w, h, r) < 0)
    throw new TracefleetError('PIPELINE_FAILED', `no memory to smooth the labels of ${n} pixels`);
  int16Out(SLOT.labelOut, labels, n);
}
