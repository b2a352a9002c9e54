import { readFileSync } from 'node:fs';
import { TracefleetError } from '@tracefleet/errors';

/**
 * Real potrace (GPL-2.0): its core C files as esm-potrace-wasm ships them, with our own entry
 * (potrace-wasm/tracefleet.c, built by potrace-wasm/build.sh), compiled to a 40 KB wasm module with
 * no imports. It takes a byte mask instead of an RGBA canvas and writes the same path data
 * esm-potrace-wasm writes (potrace.test.ts compares them), at half the cost: esm-potrace-wasm spends
 * ~4 ns per canvas pixel turning RGBA into bits before it traces. We only ever hand it a bitmap we
 * built ourselves, never user bytes.
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

// The global WebAssembly API, as far as it is used here (this package's TypeScript libs do not declare it).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface PotraceExports {
  memory: { buffer: ArrayBuffer };
  _initialize(): void;
  tf_input(size: number): number;
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
}

let wasm: PotraceExports | undefined;

/** One instance per thread, compiled on first use (synchronously: the module is small). */
function potrace(): PotraceExports {
  if (!wasm) {
    const bytes = readFileSync(new URL('../potrace-wasm/potrace.wasm', import.meta.url));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    wasm = instance.exports as PotraceExports;
    wasm._initialize();
  }
  return wasm;
}

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
  const ex = potrace();
  const at = ex.tf_input(size);
  if (!at && size)
    throw new TracefleetError('PIPELINE_FAILED', `potrace has no memory for a ${width}×${height} bitmap`);
  new Uint8Array(ex.memory.buffer, at, size).set(bitmap.mask.subarray(0, size));
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
