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

export const DEFAULT_POTRACE: PotraceParams = { turdsize: 2, alphamax: 1, opticurve: true, opttolerance: 0.2, turnpolicy: 4 };

type PotraceFn = (img: { data: Uint8ClampedArray; width: number; height: number }, o: Record<string, unknown>) => Promise<string | string[]>;

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

/**
 * Traces a 1-bit mask (1 = ink). Returns SVG path data in potrace's native frame: units of 1/10
 * pixel, y axis pointing up from the bottom edge (the caller applies one transform for all layers).
 */
export async function traceMask(mask: Uint8Array, width: number, height: number, params: PotraceParams): Promise<string> {
  const potrace = await load();
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0, i = 0; p < mask.length; p++, i += 4) {
    const v = mask[p] ? 0 : 255;
    rgba[i] = v; rgba[i + 1] = v; rgba[i + 2] = v; rgba[i + 3] = 255;
  }
  const parts = (await potrace({ data: rgba, width, height }, {
    pathonly: true,
    extractcolors: false,
    posterizelevel: 2,
    turdsize: params.turdsize,
    turnpolicy: params.turnpolicy,
    alphamax: params.alphamax,
    opticurve: params.opticurve ? 1 : 0,
    opttolerance: params.opttolerance,
  })) as string[];
  return parts.map((s) => s.trim()).join('');
}
