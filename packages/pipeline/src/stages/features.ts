import { need, type PipelineContext } from '../context.js';
import { featurePalette, FEATURES_VERSION, measureImage } from '../features.js';
import type { Stage } from '../stage.js';

/** Measures the image (palette, gradients, edges, logo type), or reuses cached features of the same image. */
export const features: Stage = {
  name: 'features',
  timing: 'features',
  run(ctx: PipelineContext) {
    const { image, original, hasAlpha } = need(ctx.decoded, 'decoded');
    const cached = ctx.cachedFeatures;
    if (
      cached &&
      cached.version === FEATURES_VERSION &&
      cached.traceWidth === image.width &&
      cached.traceHeight === image.height
    ) {
      ctx.features = cached;
      ctx.featurePalette = featurePalette(cached);
      return;
    }
    const m = measureImage(image, original, hasAlpha, { noisy: ctx.noisy });
    ctx.features = m.features;
    ctx.featurePalette = m.palette;
    ctx.flat = m.flat;
    ctx.flatLabels = m.flatLabels;
  },
};
