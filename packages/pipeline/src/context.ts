import type { LayerPlan } from './algorithms/layers.js';
import type { Palette } from './algorithms/palette.js';
import type { DecodedImage } from './decode.js';
import type { FeaturePalette, Features } from './features.js';
import type { ConvertOptions, Limits } from './options.js';
import type { ParamSet } from './params.js';
import type { Quality } from './score.js';
import type { Layer } from './svg.js';

/** The output of one tracing pass, as the score stage keeps it. */
export interface Attempt {
  svg: string;
  layers: Layer[];
  quality: Quality;
  mono: boolean;
  params: ParamSet;
}

/**
 * The whole state of one conversion, handed to every stage of STAGES (pipeline.ts) in turn. Nothing
 * travels between stages any other way. Fields are set by the stage named in their comment and
 * stay unset (undefined) before it has run; `need` reads one that must be there.
 */
export interface PipelineContext {
  /** Input: the image file. Read by decode. */
  readonly bytes: Uint8Array;
  /** Input: normalised conversion options. Read by classify (parameter sets) and layers (mode). */
  readonly options: ConvertOptions;
  /** Input: size limits. Read by decode. */
  readonly limits: Limits;
  /** Input: features from a cache for the same image, reused by the features stage when still valid. */
  readonly cachedFeatures?: Features;

  /** decode: pixels at input and tracing size. Read by features, layers, trace, svg (frame), score. */
  decoded?: DecodedImage;
  /** decode: lossy input (JPEG), traced with looser flatness tolerances. Read by features, layers. */
  noisy: boolean;

  /** features: the image's features (extracted, or the reused cache entry). Read by classify, layers, the result. */
  features?: Features;
  /** features: Features.palette as numbers. Read by palette. */
  featurePalette?: FeaturePalette;
  /** features: the flat-pixel mask, when extracted here (not from a cache). Read by layers. */
  flat?: Uint8Array;
  /** features: each pixel's nearest flat colour, when extraction computed it. Read by layers. */
  flatLabels?: { colors: number[]; labels: Int16Array };

  /** classify: parameter sets for the logo type and options, first choice first. Read by the orchestrator. */
  paramSets?: ParamSet[];

  /** Orchestrator: the current attempt's parameter set. Read by palette, trace, score. */
  params?: ParamSet;
  /** Orchestrator: true from the second parameter set on (the result's `retried`). */
  retried: boolean;

  /** palette: the colours this attempt draws. Read by layers. */
  palette?: Palette;
  /** palette: indices of line (stroke) colours in `palette`. Read by layers. */
  lines?: ReadonlySet<number>;
  /** layers: each pixel's layer and the layers' colours and order, bottom first. Read by trace, score. */
  plan?: LayerPlan;
  /** trace: one potrace path per layer. Read by svg, score. */
  layers?: Layer[];
  /** svg: the optimised, safety-checked SVG of this attempt. Read by score. */
  svg?: string;
  /** score: this attempt's quality. Read by the orchestrator (retry below the floor). */
  quality?: Quality;
  /** score: the best attempt so far. Read by the result. */
  best?: Attempt;
}

/** A context holding only the inputs, for the first stage. */
export function newContext(
  bytes: Uint8Array,
  options: ConvertOptions,
  limits: Limits,
  cachedFeatures?: Features,
): PipelineContext {
  return { bytes, options, limits, cachedFeatures, noisy: false, retried: false };
}

/** A context field that an earlier stage must have set; a missing one is a stage-order bug. */
export function need<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`pipeline context: ${field} is not set yet (stage order)`);
  return value;
}
