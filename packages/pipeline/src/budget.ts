import { TracefleetError } from '@tracefleet/errors';
import type { Limits } from './options.js';

/**
 * svgo shortens potrace's integer path data (relative commands, one decimal) to well under this
 * share of its length, so traced data over maxSvgBytes × RAW_PER_SVG_BYTE cannot fit the budget and
 * is refused before svgo, which would spend most of the time on it (74 s of a 23 MB SVG).
 */
const RAW_PER_SVG_BYTE = 2;

const tooComplex = (what: string) =>
  new TracefleetError(
    'IMAGE_TOO_COMPLEX',
    `the traced SVG would have ${what}: the image is noise-like or far too detailed for a logo`,
  );

/**
 * The output complexity budget of one conversion (MAX_SVG_BYTES, MAX_SVG_PATHS), charged layer by
 * layer as potrace returns them, so noise is refused after the first over-full layer rather than
 * after a 20 MB SVG has been traced and optimised.
 */
export class OutputBudget {
  private bytes = 0;
  private paths = 0;
  constructor(private readonly limits: Pick<Limits, 'maxSvgBytes' | 'maxSvgPaths'>) {}

  /** Charges one layer's path data (potrace writes one `M` per closed contour). */
  charge(d: string): void {
    this.bytes += d.length;
    for (let i = d.indexOf('M'); i >= 0; i = d.indexOf('M', i + 1)) this.paths++;
    if (this.paths > this.limits.maxSvgPaths)
      throw tooComplex(`more than ${this.limits.maxSvgPaths} paths (MAX_SVG_PATHS)`);
    if (this.bytes > this.limits.maxSvgBytes * RAW_PER_SVG_BYTE)
      throw tooComplex(`more than ${this.limits.maxSvgBytes} bytes (MAX_SVG_BYTES)`);
  }
}

/** The final check, on the optimised SVG. */
export function checkSvgBytes(svg: string, limits: Pick<Limits, 'maxSvgBytes'>): void {
  const bytes = Buffer.byteLength(svg);
  if (bytes > limits.maxSvgBytes) throw tooComplex(`${bytes} bytes, over ${limits.maxSvgBytes} (MAX_SVG_BYTES)`);
}
