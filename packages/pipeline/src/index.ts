export { PIPELINE_VERSION } from './version.js';
export {
  normalizeOptions,
  optionsKey,
  DEFAULT_LIMITS,
  type ConvertOptions,
  type Limits,
  type Mode,
} from './options.js';
export { probeImage, decodeImage, type ProbeResult, type ImageFormat } from './decode.js';
export { convertImage } from './pipeline.js';
export type { ConversionResult, ResultMeta, LogoType } from './result.js';
export { FEATURES_VERSION, extractFeatures, type Features } from './features.js';
export { classify } from './algorithms/classify.js';
export type { GradientRegion, GradientStop } from './algorithms/gradients.js';
export { paramSets, QUALITY_FLOOR, type ParamSet } from './params.js';
export { scoreSvg, renderSvg, compareImages, ssimPlane, type Quality } from './score.js';
export { assertSafeSvg } from './svg.js';
export { ConversionPool, type PoolOptions } from './pool.js';
export { unpremultiply, type RgbaImage } from './image.js';
export { Resvg, renderAsync } from './resvg.js';
