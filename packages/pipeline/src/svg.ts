import { optimize } from 'svgo';
import { TracefleetError } from '@tracefleet/errors';
import { toShortHex } from './color.js';

export interface Layer {
  color: number;
  /** Path data in potrace's frame (1/10 px, y up). */
  d: string;
}

export interface SvgFrame {
  /** Output size: the input's own size. */
  width: number;
  height: number;
  /** tracing pixels per output pixel */
  scale: number;
}

/**
 * One path per colour layer, bottom first, inside one group that maps potrace's frame to the
 * input's pixel grid. Integer potrace coordinates keep the data short.
 */
export function buildSvg(layers: Layer[], frame: SvgFrame): string {
  const k = +(0.1 / frame.scale).toPrecision(6);
  const paths = layers.filter((l) => l.d).map((l) => `<path fill="${toShortHex(l.color)}" d="${l.d}"/>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}">` +
    (paths ? `<g transform="matrix(${k} 0 0 -${k} 0 ${frame.height})">${paths}</g>` : '') +
    `</svg>`
  );
}

/** svgo with the default preset minus plugins that could change rendering or drop the viewBox. */
export function optimizeSvg(svg: string): string {
  return optimize(svg, {
    multipass: false,
    floatPrecision: 2,
    plugins: [
      {
        name: 'preset-default',
        params: { overrides: { convertShapeToPath: false, mergePaths: false } },
      } as never,
    ],
  }).data;
}

const UNSAFE: Array<[RegExp, string]> = [
  [/<script[\s>/]/i, 'script element'],
  [/<foreignObject[\s>/]/i, 'foreignObject element'],
  [/\son[a-z]+\s*=/i, 'event handler attribute'],
  [/(?:href|src)\s*=\s*["'](?!#)/i, 'external reference'],
  [/url\(\s*["']?(?!#)/i, 'external url()'],
  [/<!ENTITY|<!DOCTYPE/i, 'DTD or entity'],
  [/javascript:/i, 'javascript: URL'],
  [/@import/i, 'CSS import'],
];

/** Every SVG is checked before it is cached or served: no scripts, handlers or outside references. */
export function assertSafeSvg(svg: string): void {
  for (const [re, what] of UNSAFE) {
    if (re.test(svg)) throw new TracefleetError('UNSAFE_OUTPUT', `generated SVG contains a ${what}`);
  }
  if (!svg.startsWith('<svg') || !svg.endsWith('</svg>')) throw new TracefleetError('UNSAFE_OUTPUT', 'generated SVG is not a single <svg> element');
}
