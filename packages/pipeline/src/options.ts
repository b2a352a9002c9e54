/** The conversion options are defined once in @tracefleet/contract; the pipeline adds its limits. */
export { normalizeOptions, optionsKey, type ConvertOptions, type Mode } from '@tracefleet/contract';

export interface Limits {
  maxInputPixels: number;
  minDimension: number;
  maxTraceDimension: number;
}

export const DEFAULT_LIMITS: Limits = { maxInputPixels: 40_000_000, minDimension: 4, maxTraceDimension: 1024 };
