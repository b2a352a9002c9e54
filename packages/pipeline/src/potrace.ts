import { createRequire } from 'node:module';

/**
 * Real potrace (GPL-2.0) compiled to wasm by `esm-potrace-wasm`. Its emscripten glue probes for
 * CommonJS globals when it sees Node, so it needs `require` and `__dirname` shims under ESM.
 * We only ever hand it a bitmap we built ourselves, never user bytes.
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

type PotraceFn = (
  img: { data: Uint8ClampedArray; width: number; height: number },
  o: Record<string, unknown>,
) => Promise<string | string[]>;

let loaded: Promise<PotraceFn> | undefined;

function load(): Promise<PotraceFn> {
  loaded ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    g.require ??= createRequire(import.meta.url);
    g.__dirname ??= '/';
    const mod = (await import('esm-potrace-wasm')) as unknown as { potrace: PotraceFn; init: () => Promise<void> };
    await mod.init();
    return mod.potrace;
  })();
  return loaded;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An RGBA canvas for potrace, written one pixel word at a time: INK (opaque black) or PAPER (white). */
export interface Bitmap {
  rgba: Uint8ClampedArray;
  px: Int32Array;
  width: number;
  height: number;
}
export const INK = 0xff000000 | 0;
export const PAPER = -1;
/** A blank (all PAPER) bitmap. */
export function newBitmap(width: number, height: number): Bitmap {
  const bitmap = bitmapOn(new Uint8ClampedArray(width * height * 4), width, height);
  bitmap.px.fill(PAPER);
  return bitmap;
}
/** A bitmap over the start of `buffer` (reused between layers), contents as they are. */
export function bitmapOn(buffer: Uint8ClampedArray, width: number, height: number): Bitmap {
  const rgba = buffer.subarray(0, width * height * 4);
  return { rgba, px: new Int32Array(rgba.buffer, rgba.byteOffset, width * height), width, height };
}

/**
 * Traces a bitmap. Returns SVG path data in potrace's native frame: units of 1/10 pixel, y axis
 * pointing up from the bottom edge (the caller shifts each layer and applies one transform for all).
 */
export async function traceBitmap(bitmap: Bitmap, params: PotraceParams): Promise<string> {
  const potrace = await load();
  const parts = (await potrace(
    { data: bitmap.rgba, width: bitmap.width, height: bitmap.height },
    {
      pathonly: true,
      extractcolors: false,
      posterizelevel: 2,
      turdsize: params.turdsize,
      turnpolicy: params.turnpolicy,
      alphamax: params.alphamax,
      opticurve: params.opticurve ? 1 : 0,
      opttolerance: params.opttolerance,
    },
  )) as string[];
  return parts.map((s) => s.trim()).join('');
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
