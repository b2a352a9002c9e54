/** The conversion options are defined once in @tracefleet/contract; the pipeline adds its limits. */
export { normalizeOptions, optionsKey, type ConvertOptions, type Mode } from '@tracefleet/contract';

/** What one conversion may cost (the env variables of the same names in @tracefleet/config). */
export interface Limits {
  maxInputPixels: number;
  minDimension: number;
  maxTraceDimension: number;
  /** MAX_JPEG_SCANS: more scans than this are refused from the markers, before decoding. */
  maxJpegScans: number;
  /** MAX_SVG_BYTES: largest SVG a conversion may produce. */
  maxSvgBytes: number;
  /** MAX_SVG_PATHS: most closed contours (subpaths) in one SVG. */
  maxSvgPaths: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxInputPixels: 40_000_000,
  minDimension: 4,
  maxTraceDimension: 1024,
  maxJpegScans: 100,
  maxSvgBytes: 2_000_000,
  maxSvgPaths: 20_000,
};
