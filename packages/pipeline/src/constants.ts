/** Tuning constants shared by more than one stage or algorithm; each is defined here only. */

/** Alpha at or above this counts as ink; below it the pixel stays transparent in the SVG. */
export const ALPHA_THRESHOLD = 128;

/**
 * Per-channel difference under which neighbours count as one flat colour. Lossy input (JPEG) gets a
 * looser one: its blocks and ringing would otherwise leave no pixel flat.
 */
export const flatTolerance = (noisy: boolean): number => (noisy ? 12 : 6);

/** Most colours extraction keeps in the features palette. */
export const MAX_PALETTE = 64;

/** Higher layers overlap a lower one by this many pixels, so no hairline gap can show between them. */
export const UNDERLAP = 2;

/**
 * Radius (input pixels) of the mode filter over an upscaled input's labels (algorithms/smooth-labels.ts):
 * removes the per-input-pixel wobble of interpolated edges, which potrace would write as short curves.
 * Measured at 0.25 / 0.5 / 0.75 / 1: bench:fidelity 128 px kind (×4, 30 logos), median SSIM vs source
 * 0.986 / 0.985 / 0.983 / 0.982 and median bytes 4.8 / 3.3 / 2.9 / 2.4 KB; its 256 px JPEG q60 kind
 * (×2) at 0.5 / 1: 0.982 / 0.982, 4.1 / 3.2 KB; bench:quality's 128 px raster logos (scored against
 * the input) at 0.5 / 0.75 / 1: 0.9954 / 0.9952 / 0.9944, 3.9 / 3.2 / 2.5 KB (2.8 KB before upscaling
 * ×4 with centres aligned). 1 keeps every kind's bytes under what they were.
 */
export const LABEL_SMOOTHING = 1;
