import zlib from 'node:zlib';
import type { Meta } from './tier.js';

/**
 * The byte format the shared and persistent tiers (disk, Redis, MongoDB) store: a small header, the
 * entry's metadata and the compressed value, with a CRC-32 over metadata and raw value. A frame that
 * fails to parse or check is corrupt: the tier drops it and counts it, never serves it.
 *
 *   'T' 'F' version(1) codec(1) crc32(4) metaLength(2) meta(JSON) payload
 */
export type Codec = 'raw' | 'gzip' | 'brotli';

const CODECS: Codec[] = ['raw', 'gzip', 'brotli'];
const VERSION = 1;
const HEADER = 10;

/**
 * Chosen by measurement (`pnpm bench:cache` prints every candidate; CPU time, best of 15): on result
 * entries of traced corpus logos (SVG + metadata JSON, ~3 KB each) brotli 5 compresses 2.10×, gzip 6
 * 2.06×, brotli 9 2.11× at 30× the CPU. Entries are read far more often than written, and brotli
 * decompresses them faster than gzip (≈190 vs ≈150 MB/s); compressing one costs ≈100 µs, once.
 * Values under 256 bytes are stored raw.
 */
export const DEFAULT_CODEC: Codec = 'brotli';
export const BROTLI_QUALITY = 5;
export const GZIP_LEVEL = 6;
const MIN_COMPRESS = 256;

export function compress(raw: Buffer, codec: Codec, level?: number): Buffer {
  if (codec === 'gzip') return zlib.gzipSync(raw, { level: level ?? GZIP_LEVEL });
  if (codec === 'brotli')
    return zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: level ?? BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      },
    });
  return raw;
}

export function decompress(payload: Buffer, codec: Codec): Buffer {
  if (codec === 'gzip') return zlib.gunzipSync(payload);
  if (codec === 'brotli') return zlib.brotliDecompressSync(payload);
  return payload;
}

export function encodeFrame(value: Buffer, meta: Meta = {}, codec: Codec = DEFAULT_CODEC): Buffer {
  const use = value.length < MIN_COMPRESS ? 'raw' : codec;
  const metaBytes = Buffer.from(JSON.stringify(meta));
  const header = Buffer.alloc(HEADER);
  header.write('TF', 0, 'latin1');
  header[2] = VERSION;
  header[3] = CODECS.indexOf(use);
  header.writeUInt32BE(zlib.crc32(value, zlib.crc32(metaBytes)), 4);
  header.writeUInt16BE(metaBytes.length, 8);
  return Buffer.concat([header, metaBytes, compress(value, use)]);
}

export function decodeFrame<M extends Meta = Meta>(frame: Buffer): { value: Buffer; meta: M } | undefined {
  if (frame.length < HEADER || frame.toString('latin1', 0, 2) !== 'TF' || frame[2] !== VERSION) return undefined;
  const codec = CODECS[frame[3]];
  if (!codec) return undefined;
  const metaEnd = HEADER + frame.readUInt16BE(8);
  if (metaEnd > frame.length) return undefined;
  try {
    const metaBytes = frame.subarray(HEADER, metaEnd);
    const value = decompress(frame.subarray(metaEnd), codec);
    if (zlib.crc32(value, zlib.crc32(metaBytes)) !== frame.readUInt32BE(4)) return undefined;
    const meta = JSON.parse(metaBytes.toString('utf8')) as unknown;
    return { value: Buffer.from(value), meta: (typeof meta === 'object' && meta ? meta : {}) as M };
  } catch {
    return undefined;
  }
}
