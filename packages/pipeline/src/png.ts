import zlib from 'node:zlib';
import type { RgbaImage } from './image.js';
import { bufferView, SLOT, wasm } from './wasm.js';

/**
 * The PNG fast path: the common PNG (non-interlaced, 8 bits or fewer per sample, no ICC profile and no
 * EXIF) decoded without sharp — chunks read and checked here, IDAT inflated by node's zlib, rows
 * unfiltered and expanded to RGBA in wasm/png-rows.c — to the same pixels libvips gives. A sharp call
 * costs ~4.7 ms of CPU per 512² logo (probe + decode, mostly libvips' per-call overhead on libuv's and
 * its own threads) against ~0.5 ms for inflating alone. Whatever this path does not take, or finds
 * broken (CRC, truncated data, bad filter or palette index), it leaves to sharp, which decodes it or
 * gives the error it always gave: answers for bad input do not depend on this path.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colourType: number;
  interlaced: boolean;
}

/** IHDR's fields, or undefined unless the bytes start with a PNG signature and an intact IHDR. */
export function pngHeader(bytes: Uint8Array): PngHeader | undefined {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(8) !== 13 || chunkType(bytes, 12) !== 'IHDR') return undefined;
  if (zlib.crc32(bytes.subarray(12, 29)) !== view.getUint32(29)) return undefined;
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    depth: bytes[24],
    colourType: bytes[25],
    interlaced: bytes[28] !== 0,
  };
}

const chunkType = (bytes: Uint8Array, at: number) =>
  String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);

/** Bit depths png-rows.c expands, by colour type. */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8], 2: [8], 3: [1, 2, 4, 8], 4: [8], 6: [8] };
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Ancillary chunks that change pixels in libvips (a colour transform, an orientation): sharp's. */
const SHARP_ONLY = new Set(['iCCP', 'eXIf']);

export interface DecodedPng {
  image: RgbaImage;
  /** As sharp's metadata says it: an alpha channel or a tRNS chunk. */
  hasAlpha: boolean;
}

/**
 * RGBA pixels of a PNG this path takes, or undefined (the caller decodes with sharp). `maxPixels`
 * bounds what is inflated: nothing is allocated for a bigger image.
 */
export function decodePng(
  bytes: Uint8Array,
  maxPixels: number,
  header: PngHeader | undefined = pngHeader(bytes), // when the caller has read it already
): DecodedPng | undefined {
  if (!header || header.interlaced || bytes[26] !== 0 || bytes[27] !== 0) return undefined;
  const { width, height, depth, colourType } = header;
  if (!DEPTHS[colourType]?.includes(depth) || width < 1 || height < 1 || width * height > maxPixels) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  let ended = false;
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > bytes.length) return undefined;
    const type = chunkType(bytes, at + 4);
    if (zlib.crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) return undefined;
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IEND') {
      ended = true;
      break;
    }
    if (type === 'IDAT') idat.push(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (SHARP_ONLY.has(type) || (type !== 'IHDR' && (bytes[at + 4] & 0x20) === 0)) return undefined;
    at = end;
  }
  if (!ended || idat.length === 0) return undefined;
  if (colourType === 3 ? !palette || palette.length % 3 !== 0 : trns && colourType !== 0 && colourType !== 2)
    return undefined;

  const rowBytes = Math.ceil((width * CHANNELS[colourType] * depth) / 8);
  const expected = (rowBytes + 1) * height;
  let rows: Buffer;
  try {
    rows = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), {
      maxOutputLength: expected,
      chunkSize: Math.max(64, expected), // one output chunk: no concatenation
    });
  } catch {
    return undefined; // corrupt, or more data than the rows need
  }
  if (rows.length !== expected) return undefined;

  const ex = wasm();
  bufferView(SLOT.pngRows, expected).set(rows);
  let entries = 0;
  if (palette) {
    entries = Math.min(palette.length / 3, 256);
    const rgba = bufferView(SLOT.pngPalette, 4 * 256);
    for (let i = 0; i < entries; i++) {
      rgba.set(palette.subarray(3 * i, 3 * i + 3), 4 * i);
      rgba[4 * i + 3] = colourType === 3 && trns && i < trns.length ? trns[i] : 255;
    }
  }
  const key = (i: number) =>
    trns && colourType !== 3 && trns.length >= 2 * (i + 1) ? (trns[2 * i] << 8) | trns[2 * i + 1] : -1;
  const [kr, kg, kb] = colourType === 2 ? [key(0), key(1), key(2)] : [key(0), -1, -1];
  if (ex.tf_png_rows(width, height, colourType, depth, entries, kr, kg, kb) !== 0) return undefined;
  const data = new Uint8Array(Buffer.allocUnsafeSlow(width * height * 4).buffer);
  data.set(bufferView(SLOT.pngRgba, data.length)); // the module's buffer is reused by later calls
  return { image: { width, height, data }, hasAlpha: colourType === 4 || colourType === 6 || Boolean(trns) };
}
