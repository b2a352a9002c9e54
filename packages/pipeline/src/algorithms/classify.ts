import type { Features, LogoType } from '../features.js';

/**
 * Logo type from the features. Documented in the README (Conversion quality):
 * confident gradients over ≥ 8 % of the ink → gradient; ≥ 10 palette colours or dense edges → complex;
 * letter-like shapes → text; else simple.
 */
export function classify(f: Omit<Features, 'logoType'>): LogoType {
  if (f.gradientShare >= 0.08) return 'gradient';
  if (f.palette.length >= 10 || f.edgeDensity > 0.12 || f.smoothShare >= 0.25) return 'complex';
  if (f.textLikeness >= 0.6) return 'text';
  return 'simple';
}
