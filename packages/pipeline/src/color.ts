/** sRGB <-> CIE Lab (D65) helpers; colours are packed as 0xRRGGBB integers. */

export type Lab = [number, number, number];

/** sRGB byte → linear light (wasm/labels.c takes this table, so both round alike). */
export const LINEAR = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (841 / 108) * t + 4 / 29);

export function rgbToLab(r: number, g: number, b: number): Lab {
  const R = LINEAR[r],
    G = LINEAR[g],
    B = LINEAR[b];
  const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const fy = f(y);
  return [116 * fy - 16, 500 * (f(x) - fy), 200 * (fy - f(z))];
}

export function packedToLab(c: number): Lab {
  return rgbToLab((c >> 16) & 255, (c >> 8) & 255, c & 255);
}

/** Squared CIE76 distance: cheap and good enough to merge and assign flat logo colours. */
export function deltaE2(a: Lab, b: Lab): number {
  const dl = a[0] - b[0],
    da = a[1] - b[1],
    db = a[2] - b[2];
  return dl * dl + da * da + db * db;
}

export function toHex(c: number): string {
  return '#' + c.toString(16).padStart(6, '0');
}

/** Shortest CSS spelling: #abc when every channel repeats its nibble. */
export function toShortHex(c: number): string {
  const h = c.toString(16).padStart(6, '0');
  return h[0] === h[1] && h[2] === h[3] && h[4] === h[5] ? `#${h[0]}${h[2]}${h[4]}` : `#${h}`;
}
