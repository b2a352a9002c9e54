import type { ResultMeta } from '@tracefleet/contract';
import type { Features } from './features.js';

/** The result's shape is the contract's: one definition from the pipeline to the HTTP answer. */
export type { LogoType, ResultMeta } from '@tracefleet/contract';

export interface ConversionResult {
  svg: string;
  meta: ResultMeta;
  features: Features;
}
