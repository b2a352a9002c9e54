import { readFileSync } from 'node:fs';
import { TracefleetError } from '@tracefleet/errors';

/**
 * The pipeline's C code (wasm/: potrace, pixel-stats.c and colour-counts.c for feature extraction, score.c, png-rows.c, gradients.c, upscale.c, line-colours.c, labels.c), one wasm module
 * with no imports, built by wasm/build.sh and committed. One instance per thread, compiled on first
 * use (synchronously: the module is about 64 KB). Data crosses through grow-only buffers, one per slot.
 */

// The global WebAssembly API, as far as it is used here (this package's TypeScript libs do not declare it).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

/** Buffer slots, as wasm/buffers.h numbers them. */
export const SLOT = {
  potraceMask: 0,
  image: 1,
  flat: 2,
  scoreReference: 3,
  scoreCandidate: 4,
  planesA: 5,
  planesB: 6,
  ssimX: 9,
  ssimY: 10,
  mask: 11,
  counts: 12,
  pngRows: 13,
  pngPalette: 14,
  pngRgba: 15,
  smoothQueue: 17,
  upscaleIn: 19,
  upscaleOut: 21,
  inkMask: 24,
  labels: 25,
  lineRgb: 26,
  lineOut: 28,
  scoreSmall: 29,
  labelImage: 30,
  labelMap: 31,
  labelLabs: 32,
  labelLinear: 33,
  labelFlat: 34,
  labelRgb: 35,
  labelOut: 36,
} as const;

export interface WasmExports {
  memory: { buffer: ArrayBuffer };
  _initialize(): void;
  tf_buffer(slot: number, size: number): number;
  tf_trace(
    width: number,
    height: number,
    turdsize: number,
    turnpolicy: number,
    alphamax: number,
    opticurve: number,
    opttolerance: number,
  ): number;
  tf_output_length(): number;
  tf_pixel_stats(width: number, height: number, flatTol: number, alphaThreshold: number, smoothTol: number): number;
  tf_pixel_counts(): number;
  tf_colour_counts(width: number, height: number, alphaThreshold: number, masked: number): number;
  tf_opaque_count(): number;
  tf_smooth_reset(width: number, height: number): number;
  tf_smooth_flood(width: number, height: number, start: number): number;
  tf_smooth_next(width: number, height: number, from: number, minSize: number): number;
  tf_smooth_length(): number;
  tf_region_moments(width: number, step: number): void;
  tf_gradient_positions(width: number, radial: number, cx: number, cy: number, a: number, b: number): number;
  tf_gradient_bins(): void;
  tf_gradient_error(stops: number, t0: number, span: number): number;
  tf_gradient_io(): number;
  tf_upscale(width: number, height: number, k: number): number;
  tf_unpremultiply(n: number): number;
  tf_line_candidates(width: number, height: number, colours: number): number;
  tf_line_unexplained(colours: number, lines: number): number;
  tf_assign_labels(n: number, colours: number, alphaThreshold: number): number;
  tf_refine_edge_labels(width: number, height: number, colours: number): number;
  tf_mode_filter_labels(width: number, height: number, r: number): number;
  tf_ink_mask(slot: number, n: number, pr: number, pg: number, pb: number, step: number): number;
  tf_ink_kept(n: number, pr: number, pg: number, pb: number, step: number): number;
  tf_png_rows(
    width: number,
    height: number,
    colourType: number,
    depth: number,
    paletteSize: number,
    keyR: number,
    keyG: number,
    keyB: number,
  ): number;
  tf_score_planes(width: number, height: number, half: number): number;
  tf_score_shrink(width: number, height: number, factor: number): number;
  tf_ssim4(width: number, height: number, c1: number, c2: number): number;
  tf_ssim4_result(): number;
  tf_plane_pairs_equal(i: number, j: number, n: number): number;
  tf_mean_ssim(
    slotX: number,
    offsetX: number,
    slotY: number,
    offsetY: number,
    width: number,
    height: number,
    c1: number,
    c2: number,
  ): number;
}

let instance: WasmExports | undefined;

export function wasm(): WasmExports {
  if (!instance) {
    const bytes = readFileSync(new URL('../wasm/tracefleet.wasm', import.meta.url));
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as WasmExports;
    instance._initialize();
  }
  return instance;
}

/**
 * A view of slot's buffer grown to `size` bytes. Valid until the next call into the module, which
 * may grow (and so move) its memory: fill or read it at once.
 */
export function bufferView(slot: number, size: number): Uint8Array {
  const ex = wasm();
  const at = ex.tf_buffer(slot, size);
  if (!at) throw new TracefleetError('PIPELINE_FAILED', `no memory for ${size} bytes in the wasm module`);
  return new Uint8Array(ex.memory.buffer, at, size);
}

/** Copies `values` into slot's buffer as int16. */
export function int16In(slot: number, values: Int16Array): void {
  const v = bufferView(slot, values.length * 2);
  new Int16Array(v.buffer, v.byteOffset, values.length).set(values);
}

/** Copies `values` into slot's buffer as int32. */
export function int32In(slot: number, values: ArrayLike<number>): void {
  const v = bufferView(slot, values.length * 4);
  new Int32Array(v.buffer, v.byteOffset, values.length).set(values);
}

/** Copies `values` into slot's buffer as float64. */
export function float64In(slot: number, values: ArrayLike<number>): void {
  const v = bufferView(slot, values.length * 8);
  new Float64Array(v.buffer, v.byteOffset, values.length).set(values);
}

/** The first n int16 of slot's buffer, copied into `into`. */
export function int16Out(slot: number, into: Int16Array, n: number): void {
  const v = bufferView(slot, n * 2);
  into.set(new Int16Array(v.buffer, v.byteOffset, n));
}
