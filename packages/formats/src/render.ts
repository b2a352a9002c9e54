import type { Format, OutputOptions } from '@tracefleet/contract';
import { renderDxf } from './dxf.js';
import { renderEps } from './eps.js';
import { renderPdf } from './pdf.js';
import { renderPng } from './png.js';
import { parseScene } from './scene.js';

export interface Rendered {
  bytes: Buffer;
  contentType: string;
  extension: string;
}

/** Media type and file extension of each format (HTTP answers, CLI file names, OpenAPI). */
export const FORMAT_MEDIA: Record<Format, { contentType: string; extension: string }> = {
  svg: { contentType: 'image/svg+xml; charset=utf-8', extension: 'svg' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  eps: { contentType: 'application/postscript', extension: 'eps' },
  dxf: { contentType: 'image/vnd.dxf', extension: 'dxf' },
  png: { contentType: 'image/png', extension: 'png' },
};

/**
 * One finished SVG in the requested output format. SVG is returned as is; PDF, EPS and DXF are
 * written from the parsed drawing (scene.ts); PNG is rendered by resvg from the SVG itself.
 */
export async function renderFormat(
  svg: string,
  format: Format,
  opts: Omit<OutputOptions, 'format'> = {},
): Promise<Rendered> {
  const media = FORMAT_MEDIA[format];
  let bytes: Buffer;
  switch (format) {
    case 'svg':
      bytes = Buffer.from(svg, 'utf8');
      break;
    case 'png': {
      const { width, height } = parseScene(svg);
      bytes = await (opts.size === undefined
        ? renderPng(svg, width, height)
        : renderPng(svg, width, height, opts.size));
      break;
    }
    case 'pdf':
      bytes = await renderPdf(parseScene(svg));
      break;
    case 'eps':
      bytes = renderEps(parseScene(svg));
      break;
    case 'dxf':
      bytes = renderDxf(parseScene(svg), { units: opts.dxfUnits ?? 'px', dpi: opts.dpi ?? 96 });
      break;
  }
  return { bytes, contentType: media.contentType, extension: media.extension };
}
