import { TracefleetError } from '@tracefleet/errors';

export type Mode = 'auto' | 'mono' | 'color';

/** Options after validation; part of the cache key, so every field has exactly one spelling. */
export interface ConvertOptions {
  mode: Mode;
  /** Palette size cap; undefined lets the pipeline choose per logo type. */
  colors?: number;
}

export interface Limits {
  maxInputPixels: number;
  minDimension: number;
  maxTraceDimension: number;
}

export const DEFAULT_LIMITS: Limits = { maxInputPixels: 40_000_000, minDimension: 4, maxTraceDimension: 1024 };

const MODES: ReadonlySet<string> = new Set(['auto', 'mono', 'color', 'colour']);

/** Validates loose user input (query strings, CLI flags) into ConvertOptions. */
export function normalizeOptions(input: { mode?: unknown; colors?: unknown } = {}): ConvertOptions {
  const rawMode = input.mode === undefined || input.mode === '' ? 'auto' : String(input.mode).toLowerCase();
  if (!MODES.has(rawMode))
    throw new TracefleetError('BAD_REQUEST', `mode must be auto, mono or color (got "${rawMode}")`);
  const mode = (rawMode === 'colour' ? 'color' : rawMode) as Mode;
  if (input.colors === undefined || input.colors === '') return { mode };
  const colors = Number(input.colors);
  if (!Number.isInteger(colors) || colors < 2 || colors > 64) {
    throw new TracefleetError('BAD_REQUEST', `colors must be an integer from 2 to 64 (got "${String(input.colors)}")`);
  }
  return { mode, colors };
}

/** Stable string form used in cache keys and job ids. */
export function optionsKey(o: ConvertOptions): string {
  return `${o.mode}.${o.colors ?? 'a'}`;
}
