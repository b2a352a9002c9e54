import Type, { type Static } from 'typebox';

/**
 * The one result shape, from the pipeline to the HTTP answer. The pipeline produces `svg` + `meta`;
 * the converter adds the key and which cache tier answered (`Conversion`); a job's return value is a
 * `Conversion`; the API answers with it. Validated wherever it crosses a process (queue, cache).
 */
export const LOGO_TYPES = ['simple', 'text', 'gradient', 'complex'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

export const QualitySchema = Type.Object({
  ssim: Type.Number({ description: 'Mean of per-channel RGB SSIM, input and re-rendered SVG flattened on white' }),
  ssimGrey: Type.Number({ description: 'SSIM of Rec.601 luma' }),
  badPixelShare: Type.Number({ description: 'Share of pixels off by more than 64/255 in some channel' }),
});
export type Quality = Static<typeof QualitySchema>;

/** Everything one tracing pass ran with (potrace parameters and the palette cap). */
export const ParamSetSchema = Type.Object({
  turdsize: Type.Number(),
  alphamax: Type.Number(),
  opticurve: Type.Boolean(),
  opttolerance: Type.Number(),
  turnpolicy: Type.Number(),
  maxColors: Type.Integer(),
});
export type ParamSet = Static<typeof ParamSetSchema>;

export const ResultMetaSchema = Type.Object({
  pipelineVersion: Type.String(),
  featuresVersion: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  paths: Type.Integer(),
  colors: Type.Array(Type.String()),
  /** Gradient fills in the output. */
  gradients: Type.Integer(),
  logoType: Type.Enum([...LOGO_TYPES]),
  mode: Type.Enum(['mono', 'color']),
  params: ParamSetSchema,
  /** The first parameter set scored under the quality floor and a second one was tried. */
  retried: Type.Boolean(),
  quality: QualitySchema,
  /** Milliseconds per pipeline stage, and `total`. */
  timings: Type.Record(Type.String(), Type.Number()),
});
export type ResultMeta = Static<typeof ResultMetaSchema>;

/** What a result cache entry holds. */
export const ResultEntrySchema = Type.Object({ svg: Type.String({ pattern: '^<svg' }), meta: ResultMetaSchema });
export type ResultEntry = Static<typeof ResultEntrySchema>;

/** `miss` = traced now; `hit-<tier>` = answered by that cache tier. */
export const CacheOutcomeSchema = Type.String({ pattern: '^(miss|hit-[a-z]+)$' });

export const ConversionSchema = Type.Object({
  /** The result key (keys.ts). */
  key: Type.String(),
  svg: ResultEntrySchema.properties.svg,
  meta: ResultMetaSchema,
  cache: CacheOutcomeSchema,
});
export type Conversion = Static<typeof ConversionSchema>;
