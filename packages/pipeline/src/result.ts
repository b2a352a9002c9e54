import type { Features, LogoType } from './features.js';
import type { ParamSet } from './params.js';
import type { Quality } from './score.js';

export type { LogoType };

export interface ResultMeta {
  pipelineVersion: string;
  featuresVersion: string;
  width: number;
  height: number;
  bytes: number;
  paths: number;
  colors: string[];
  /** Gradient fills in the output. */
  gradients: number;
  logoType: LogoType;
  mode: 'mono' | 'color';
  params: ParamSet;
  /** 1 when the first parameter set scored under the quality floor and a second one was tried. */
  retried: boolean;
  quality: Quality;
  timings: Record<string, number>;
}

export interface ConversionResult {
  svg: string;
  meta: ResultMeta;
  features: Features;
}
