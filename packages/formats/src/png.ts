import { renderAsync } from '@tracefleet/pipeline';

/**
 * PNG by resvg, `size` px on the long side (the SVG's own size when omitted). resvg renders on the
 * libuv thread pool, so a 4096 px render does not block the event loop.
 */
export async function renderPng(svg: string, width: number, height: number, size?: number): Promise<Buffer> {
  const fitTo =
    size === undefined
      ? ({ mode: 'original' } as const)
      : ({ mode: width >= height ? 'width' : 'height', value: size } as const);
  const img = await renderAsync(svg, { fitTo, font: { loadSystemFonts: false } });
  return img.asPng();
}
