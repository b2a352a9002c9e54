// Degraded inputs made from a logo's source SVG, as the fidelity recipe of ../shared/README.md says:
// clean 512 px PNG; 128 px transparent PNG; 256 px on white as JPEG q60; 512 px on white as JPEG q35;
// 512 px on white, blur σ 0.8, then uniform integer noise in [-12, 12] per channel from a seeded
// generator (a "scan").
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { unpremultiply } from '@tracefleet/pipeline';

export const DEGRADATIONS = ['clean', 'small', 'jpeg60', 'jpeg35', 'scan'];
export const LABELS = {
  clean: 'clean 512 px PNG',
  small: '128 px PNG',
  jpeg60: '256 px JPEG q60 on white',
  jpeg35: '512 px JPEG q35 on white',
  scan: '512 px, blur σ 0.8 + noise ±12 (a scan)',
};

/** RGBA (straight alpha) of an SVG with its long side at `long` px (transparent background). */
export function renderLong(svg, long) {
  const probe = new Resvg(svg, { font: { loadSystemFonts: false } });
  const { width, height } = probe;
  const fitTo = width >= height ? { mode: 'width', value: long } : { mode: 'height', value: long };
  const img = new Resvg(svg, { fitTo, font: { loadSystemFonts: false } }).render();
  return { width: img.width, height: img.height, data: unpremultiply(new Uint8Array(img.pixels)) };
}

const raw = (img) => sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } });
const onWhite = (img) => raw(img).flatten({ background: '#ffffff' });

/** mulberry32: a small seeded generator, so every run adds the same noise. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedOf = (name) => [...name].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7);

/** The degraded raster's encoded bytes for `kind`. */
export async function degrade(svg, kind, name) {
  if (kind === 'clean') return raw(renderLong(svg, 512)).png().toBuffer();
  if (kind === 'small') return raw(renderLong(svg, 128)).png().toBuffer();
  if (kind === 'jpeg60') return onWhite(renderLong(svg, 256)).jpeg({ quality: 60 }).toBuffer();
  if (kind === 'jpeg35') return onWhite(renderLong(svg, 512)).jpeg({ quality: 35 }).toBuffer();
  if (kind === 'scan') {
    const img = renderLong(svg, 512);
    const { data, info } = await onWhite(img).blur(0.8).raw().toBuffer({ resolveWithObject: true });
    const rnd = seeded(seedOf(name));
    for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i] + Math.floor(rnd() * 25) - 12));
    return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .png()
      .toBuffer();
  }
  throw new Error(`unknown degradation ${kind}`);
}
