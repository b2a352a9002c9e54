import type { LayerPlan } from './algorithms/layers.js';
import type { Ink } from './algorithms/ink.js';
import type { ScoreTarget } from './score.js';
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
  /** Input: size and cost limits. Read by decode, trace and svg (output budget). */
  readonly limits: Limits;
  /** Input: features from a cache for the same image, reused by the features stage when still valid. */
  readonly cachedFeatures?: Features;
  /** Input: epoch ms at which the pool stops this conversion. Read by decode (libvips stops there too). */
  readonly deadline?: number;

  /** decode: pixels at input and tracing size. Read by features, layers, trace, svg (frame), score. */
  decoded?: DecodedImage;
  /** decode: lossy or noisy input (JPEG, measured noise), denoised and traced with looser flatness tolerances. Read by features, layers. */
  noisy: boolean;
  /** decode: the reference at the score's resolution (score.ts: scoreTarget). Read by score. */
  scoring?: ScoreTarget;
  /** decode: the input's ink (pixels unlike its page colour), at the score's resolution. Read by score (a result that lost it is no success). */
  ink?: Ink;

  /** features: the image's features (extracted, or the reused cache entry). Read by classify, layers, the result. */
  features?: Features;
  /** features: Features.palette as numbers. Read by palette. */
  featurePalette?: FeaturePalette;
  /** features: the flat-pixel mask, when extracted here (not from a cache). Read by layers. */
  flat?: Uint8Array;
  /** features: each pixel's nearest flat colour, when extraction computed it. Taken by layers (its first attempt). */
  flatLabels?: { colors: number[]; labels: Int16Array };

  /** classify: parameter sets for the logo type and options, first choice first. Read by the orchestrator. */
  paramSets?: ParamSet[];

  /** Orchestrator: the current attempt's parameter set. Read by palette, trace, score. */
  params?: ParamSet;
  /** Orchestrator: true from the second parameter set on (the result's `retried`). */
  retried: boolean;
  /** Orchestrator: 1 on the fallback strategy (a harder-denoised tracing copy). Read by features (no cache reuse). */
  strategy: number;
  /** Orchestrator: the features of the input's own tracing copy, the ones a cache may keep. Read by the result. */
  inputFeatures?: Features;

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
  /** score: this attempt's re-render kept under MIN_INK_RECALL of the input's ink (never kept as best). Read by the orchestrator. */
  lost?: boolean;
  /** score: the best attempt so far. Read by the result. */
  best?: Attempt;
}

/** A context holding only the inputs, for the first stage. */
export function newContext(
  bytes: Uint8Array,
  options: ConvertOptions,
  limits: Limits,
  cachedFeatures?: Features,
  deadline?: number,
): PipelineContext {
  return { bytes, options, limits, cachedFeatures, deadline, noisy: false, retried: false, strategy: 0 };
}

/** A context field that an earlier stage must have set; a missing one is a stage-order bug. */
export function need<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`pipeline context: ${field} is not set yet (stage order)`);
  return value;
}
