import { TracefleetError } from '@tracefleet/errors';
import { bufferView, SLOT, wasm } from './wasm.js';

/**
 * Real potrace (GPL-2.0): its core C files as esm-potrace-wasm ships them, with our own entry
 * (wasm/potrace-entry.c, in the pipeline's wasm module). It takes a byte mask instead of an RGBA
 * canvas and writes the same path data esm-potrace-wasm writes (potrace.test.ts compares them), at
 * half the cost: esm-potrace-wasm spends ~4 ns per canvas pixel turning RGBA into bits before it
 * traces. We only ever hand it a bitmap we built ourselves, never user bytes.
 */
export interface PotraceParams {
  /** Suppress speckles up to this many pixels. */
  turdsize: number;
  /** Corner threshold: 0 = polygon, 1.334 = no corners. */
  alphamax: number;
  opticurve: boolean;
  opttolerance: number;
  /** 4 = minority */
  turnpolicy: number;
}

export const DEFAULT_POTRACE: PotraceParams = {
  turdsize: 2,
  alphamax: 1,
  opticurve: true,
  opttolerance: 0.2,
  turnpolicy: 4,
};

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A shape for potrace: one byte per pixel, rows top down; pixels equal to INK are ink, any other value paper. */
export interface Bitmap {
  mask: Uint8Array;
  width: number;
  height: number;
}
export const INK = 1;
/** A blank bitmap. */
export function newBitmap(width: number, height: number): Bitmap {
  return { mask: new Uint8Array(width * height), width, height };
}

const utf8 = new TextDecoder();

/**
 * Traces a bitmap. Returns SVG path data in potrace's native frame: units of 1/10 pixel, y axis
 * pointing up from the bottom edge (the caller shifts each layer and applies one transform for all).
 */
export function traceBitmap(bitmap: Bitmap, params: PotraceParams): string {
  const { width, height } = bitmap;
  const size = width * height;
  bufferView(SLOT.potraceMask, size).set(bitmap.mask.subarray(0, size));
  const ex = wasm();
  const out = ex.tf_trace(
    width,
    height,
    params.turdsize,
    params.turnpolicy,
    params.alphamax,
    params.opticurve ? 1 : 0,
    params.opttolerance,
  );
  if (!out) throw new TracefleetError('PIPELINE_FAILED', `potrace failed on a ${width}×${height} bitmap`);
  // A view, decoded at once: the next call may grow (and so move) the wasm memory.
  return utf8.decode(new Uint8Array(ex.memory.buffer, out, ex.tf_output_length()));
}

/**
 * potrace keeps the corners of a filled rectangle when both sides are long enough and corners are
 * allowed (alphamax ≤ 1); checked for every side from 10 to 2000 px (potrace.test.ts).
 */
export const isPlainRectangle = (width: number, height: number, params: PotraceParams): boolean =>
  Math.min(width, height) >= 16 && params.alphamax <= 1;

/** The path potrace writes for a completely filled width × height bitmap (native frame). */
export function rectanglePath(width: number, height: number): string {
  const x = width * 5,
    y = height * 5;
  return `M0 ${y} l0 -${y} ${x} 0 ${x} 0 0 ${y} 0 ${y} -${x} 0 -${x} 0 0 -${y}z`;
}

/** Moves potrace path data: each subpath starts with an absolute moveto and the rest is relative. */
export function shiftPath(d: string, dx: number, dy: number): string {
  if (dx === 0 && dy === 0) return d;
  return d.replace(/M(-?\d+(?:\.\d+)?)[ ,](-?\d+(?:\.\d+)?)/g, (_, x: string, y: string) => `M${+x + dx} ${+y + dy}`);
}
