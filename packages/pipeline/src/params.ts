import type { Features, LogoType } from './features.js';
import type { ConvertOptions } from './options.js';
import { DEFAULT_POTRACE, type PotraceParams } from './potrace.js';

/** Everything one tracing pass is run with. */
export type ParamSet = PotraceParams & { maxColors: number };

/**
 * Below this colour SSIM the next parameter set is tried once and the better result kept.
 * Re-measured when the score came to be drawn at ssim.js's resolution (score.ts: scoreTarget; it
 * reads a median 0.001 lower on 512 px inputs, none on inputs under 384 px): over 450 corpus inputs
 * (clean, 128 px, JPEG q60 and q35, scans) 0.95 keeps the retry decision of the full-size score on
 * 445 (5 more retries of JPEG q35 inputs, none changing the result); 0.949 keeps 444, 0.947 443 —
 * a lower floor trades the JPEG q35 decisions for JPEG q60 ones.
 */
export const QUALITY_FLOOR = 0.95;

/**
 * Parameter sets per logo type, first choice first; the second is the retry below the floor.
 * - simple: brand colours only, potrace defaults (smooth curves, 2-pixel specks dropped).
 * - text: keep dots and counters (turdsize 0), sharper corners (alphamax 0.8), tighter curve fit.
 * - gradient: gradient fills for confident regions plus enough flat bands for the rest.
 * - complex: more colours; a larger turdsize keeps noise from becoming paths.
 */
const SETS: Record<LogoType, ParamSet[]> = {
  simple: [
    { ...DEFAULT_POTRACE, maxColors: 12 },
    { ...DEFAULT_POTRACE, turdsize: 0, alphamax: 0.9, opttolerance: 0.1, maxColors: 24 },
  ],
  text: [
    { ...DEFAULT_POTRACE, turdsize: 0, alphamax: 0.8, opttolerance: 0.1, maxColors: 8 },
    { ...DEFAULT_POTRACE, turdsize: 0, alphamax: 0.6, opttolerance: 0.05, maxColors: 16 },
  ],
  gradient: [
    { ...DEFAULT_POTRACE, maxColors: 16 },
    { ...DEFAULT_POTRACE, turdsize: 0, opttolerance: 0.1, maxColors: 32 },
  ],
  complex: [
    { ...DEFAULT_POTRACE, turdsize: 3, maxColors: 24 },
    { ...DEFAULT_POTRACE, turdsize: 1, alphamax: 0.9, opttolerance: 0.1, maxColors: 48 },
  ],
};

/**
 * The parameter sets to try for this image and these options (`scale`: tracing pixels per input
 * pixel). `minArea` sets potrace's speck size (it drops paths of up to turdsize pixels); `polygon`
 * sets alphamax 0, where potrace writes every vertex as a corner: straight segments only.
 */
export function paramSets(f: Features, options: ConvertOptions, scale = 1): ParamSet[] {
  let sets = SETS[f.logoType];
  if (options.mode === 'mono') sets = [{ ...sets[0], maxColors: 2 }];
  else if (options.colors !== undefined) sets = sets.map((s) => ({ ...s, maxColors: options.colors! }));
  const { minArea, curves } = options;
  if (minArea !== undefined)
    sets = sets.map((s) => ({ ...s, turdsize: Math.max(0, Math.ceil(minArea * scale * scale) - 1) }));
  if (curves === 'polygon') sets = sets.map((s) => ({ ...s, alphamax: 0 }));
  return sets;
}
