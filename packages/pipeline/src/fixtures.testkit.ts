import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';

export const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');
export const readCorpus = (f: string): Buffer => fs.readFileSync(path.join(CORPUS, f));

/** Renders an SVG (our own fixtures) to PNG bytes, the way the corpus was made. */
export function svgToPng(svg: string): Buffer {
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng());
}

/** Raw RGBA pixels to PNG bytes. */
export function rawToPng(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(data), { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

const svg = (w: number, h: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;

/** Hand-labelled logo fixtures: one per logo type, drawn so the label is not in doubt. */
export const LABELLED = {
  simple: svg(
    256,
    256,
    '<circle cx="128" cy="128" r="110" fill="#e4002b"/><path d="M70 128h116M128 70v116" stroke="#fff" stroke-width="28"/>',
  ),
  // A word: seven letter-like shapes of one cap height in a row.
  text: svg(
    512,
    160,
    [0, 1, 2, 3, 4, 5, 6]
      .map((i) => {
        const x = 20 + i * 70;
        return i % 3 === 0
          ? `<path d="M${x} 40h50v80h-50zM${x + 14} 54v52h22v-52z" fill="#1d1d1b" fill-rule="evenodd"/>`
          : i % 3 === 1
            ? `<path d="M${x} 40h16v64h34v16h-50z" fill="#1d1d1b"/>`
            : `<path d="M${x} 40h50v16h-17v64h-16v-64h-17z" fill="#1d1d1b"/>`;
      })
      .join(''),
  ),
  gradient: svg(
    256,
    256,
    '<defs><linearGradient id="a" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#ff8a00"/><stop offset="1" stop-color="#7b2ff7"/></linearGradient></defs><rect x="16" y="16" width="224" height="224" rx="40" fill="url(#a)"/>',
  ),
  radial: svg(
    256,
    256,
    '<defs><radialGradient id="r" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#fff176"/><stop offset="1" stop-color="#e65100"/></radialGradient></defs><circle cx="128" cy="128" r="120" fill="url(#r)"/>',
  ),
  // Many distinct flat colours in small tiles.
  complex: svg(
    256,
    256,
    Array.from({ length: 36 }, (_, k) => {
      const x = (k % 6) * 40 + 8,
        y = Math.floor(k / 6) * 40 + 8;
      const hue = (k * 47) % 360;
      return `<rect x="${x}" y="${y}" width="36" height="36" fill="hsl(${hue},${60 + (k % 3) * 15}%,${35 + (k % 4) * 12}%)"/><circle cx="${x + 18}" cy="${y + 18}" r="9" fill="hsl(${(hue + 180) % 360},70%,50%)"/>`;
    }).join(''),
  ),
} as const;

/** mulberry32: seeded, so a degraded fixture is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An SVG rendered `width` px wide and flattened on white: the clean reference of a degraded fixture. */
export function renderOnWhite(svgText: string, width: number): { width: number; height: number; data: Uint8Array } {
  const img = new Resvg(svgText, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: false },
  }).render();
  return { width: img.width, height: img.height, data: new Uint8Array(img.pixels) };
}

/** A "scan" as bench:fidelity makes it: rendered on white, blur σ 0.8, uniform noise ±amp per channel (seeded). */
export async function scanOf(svgText: string, width: number, seed = 1, amp = 12): Promise<Buffer> {
  const img = renderOnWhite(svgText, width);
  const { data, info } = await sharp(Buffer.from(img.data), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .blur(0.8)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rnd = seeded(seed);
  for (let i = 0; i < data.length; i++) {
    if (i % 4 === 3) continue;
    data[i] = Math.max(0, Math.min(255, data[i] + Math.floor(rnd() * (2 * amp + 1)) - amp));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .png()
    .toBuffer();
}

/** A grid of one-pixel black dots on white: structure no tracer can keep (each dot is under any speck size). */
export function dustGrid(size: number, step: number): Promise<Buffer> {
  const data = new Uint8Array(size * size * 4).fill(255);
  for (let y = 0; y < size; y += step)
    for (let x = 0; x < size; x += step) data.fill(0, (y * size + x) * 4, (y * size + x) * 4 + 3);
  return rawToPng(data, size, size);
}

/**
 * Seeded pseudo-random RGBA pixels shaped like a logo's: runs of one value, and channels that are
 * often 0 or 255 (every alpha, transparent and opaque included). For oracle tests of pixel passes.
 */
export function randomRgba(
  width: number,
  height: number,
  seed: number,
): { width: number; height: number; data: Uint8Array } {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    if (p > 0 && rnd() < 0.65) data.copyWithin(p * 4, (p - 1) * 4, p * 4);
    else for (let c = 0; c < 4; c++) data[p * 4 + c] = rnd() < 0.3 ? (rnd() < 0.5 ? 0 : 255) : Math.floor(rnd() * 256);
  }
  return { width, height, data };
}

/** The first index where two label maps differ, -1 when they are equal (toEqual is slow on big arrays). */
export function firstDifference(a: Int16Array, b: Int16Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
