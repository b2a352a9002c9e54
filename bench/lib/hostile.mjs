import zlib from 'node:zlib';
import sharp from 'sharp';

/**
 * The hostile set of issue 11, generated in a few seconds: valid (or nearly valid) files whose
 * naive decode, trace or score costs minutes, gigabytes or a 20 MB SVG. Built from hand-written
 * bytes where an encoder would be slow (many scans, 40 M pixels, 2000 animation frames).
 */

const be32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

function pngChunk(type, data) {
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([be32(data.length), td, be32(zlib.crc32(td))]);
}

/** A PNG from its IHDR fields and the filtered scanlines (each row starts with filter byte 0). */
function png(width, height, bitDepth, colourType, rows, plte) {
  const ihdr = Buffer.concat([be32(width), be32(height), Buffer.from([bitDepth, colourType, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(plte ? [pngChunk('PLTE', plte)] : []),
    pngChunk('IDAT', zlib.deflateSync(rows, { level: 6 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A progressive greyscale JPEG with `scans` extra AC scans. Each appended scan (Ss 1–63, Ah 0, Al 0,
 * after the encoder's last refinement left Al 0: a consistent progression, no decoder warning)
 * codes every block as "end of band" with one 1-bit Huffman code, so it costs 12 bytes on disk but a
 * pass over all 131,044 coefficient blocks in the decoder: 150,000 scans ≈ 1.8 MB, minutes of decode.
 */
export async function manyScanJpeg(scans) {
  // 181 × 724 blocks = 4 × 32,761: four EOB-run symbols per scan.
  const width = 1448,
    height = 5792;
  const base = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .toColourspace('b-w')
    .jpeg({ progressive: true, quality: 90 })
    .toBuffer();
  if (base[base.length - 2] !== 0xff || base[base.length - 1] !== 0xd9) throw new Error('expected EOI at the end');
  // AC table 0: one code of length 1 ('0') for symbol 0xE0 (EOB run class 14: 2^14 + 14 extra bits).
  const counts = Buffer.alloc(16);
  counts[0] = 1;
  const dht = Buffer.concat([Buffer.from([0xff, 0xc4, 0x00, 2 + 1 + 16 + 1, 0x10]), counts, Buffer.from([0xe0])]);
  // Run 32,761 = 16,384 + 16,377: '0' + 14 bits of 16,377, four times = 60 bits, padded with 1s.
  const extra = (16_377).toString(2).padStart(14, '0');
  const bits = ('0' + extra).repeat(4).padEnd(64, '1');
  const bytes = [];
  for (let i = 0; i < 8; i++) {
    bytes.push(parseInt(bits.slice(i * 8, i * 8 + 8), 2));
    if (bytes[bytes.length - 1] === 0xff) bytes.push(0); // byte stuffing
  }
  const data = Buffer.from(bytes);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x3f, 0x00]);
  const scan = Buffer.concat([sos, data]);
  const parts = [base.subarray(0, base.length - 2), dht];
  for (let i = 0; i < scans; i++) parts.push(scan);
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

/** width × height greyscale PNG: white with a black bar down the middle third (one row, repeated). */
export function tallPng(width = 4, height = 10_000_000) {
  const row = Buffer.alloc(width + 1, 255);
  row[0] = 0;
  for (let x = Math.floor(width / 3); x < Math.ceil((2 * width) / 3); x++) row[1 + x] = 0;
  const rows = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(rows, y * row.length);
  return png(width, height, 8, 0, rows);
}

/** side² palette PNG of 16-colour uniform noise (4 bits a pixel: about side²/2 bytes, incompressible). */
export function noisePng(side = 3000, seed = 1) {
  const plte = Buffer.alloc(16 * 3);
  for (let i = 0; i < 16; i++) {
    plte[i * 3] = (i * 97) % 256;
    plte[i * 3 + 1] = (i * 53 + 40) % 256;
    plte[i * 3 + 2] = (i * 151 + 90) % 256;
  }
  const stride = Math.ceil(side / 2) + 1;
  const rows = Buffer.alloc(stride * side);
  let x = seed >>> 0;
  for (let y = 0; y < side; y++) {
    const o = y * stride;
    rows[o] = 0;
    for (let i = 1; i < stride; i++) rows[o + i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  }
  return png(side, side, 4, 3, rows, plte);
}

/** side² RGB logo pixels: a red disc, a navy bar and a teal ring on white. */
function logoPixels(side) {
  const raw = Buffer.alloc(side * side * 3, 255);
  const put = (o, c) => {
    raw[o] = c[0];
    raw[o + 1] = c[1];
    raw[o + 2] = c[2];
  };
  const s = side / 100;
  const red = [214, 40, 40],
    teal = [42, 157, 143],
    navy = [29, 53, 87];
  const [r1, r2, r3] = [22 * s, 12.5 * s, 19.5 * s].map((r) => r * r);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const o = (y * side + x) * 3;
      const d1 = (x - 35 * s) ** 2 + (y - 40 * s) ** 2,
        d2 = (x - 70 * s) ** 2 + (y - 38 * s) ** 2;
      if (d1 < r1) put(o, red);
      else if (d2 > r2 && d2 < r3) put(o, teal);
      else if (x >= 20 * s && x < 82 * s && y >= 70 * s && y < 82 * s) put(o, navy);
    }
  }
  return raw;
}

/** A valid side² logo as PNG, WebP and JPEG (the same picture). */
export async function bigLogos(side = 6000) {
  const raw = logoPixels(side);
  const img = () => sharp(raw, { raw: { width: side, height: side, channels: 3 }, limitInputPixels: false });
  const [p, w, j] = await Promise.all([
    img().png({ compressionLevel: 1 }).toBuffer(),
    img().webp({ quality: 80, effort: 0 }).toBuffer(),
    img().jpeg({ quality: 85 }).toBuffer(),
  ]);
  return { png: p, webp: w, jpeg: j };
}

function riffChunk(type, data) {
  const size = Buffer.alloc(4);
  size.writeUInt32LE(data.length);
  return Buffer.concat([Buffer.from(type, 'latin1'), size, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

const le24 = (n) => Buffer.from([n & 255, (n >> 8) & 255, (n >> 16) & 255]);

/**
 * An animated WebP of `frames` side² frames: one lossless frame of a flat colour (under 1 KB)
 * repeated in ANMF chunks, so decoding every frame costs frames × side² pixels.
 */
export async function animatedWebp(frames = 2000, side = 4000) {
  const one = await sharp({ create: { width: side, height: side, channels: 4, background: '#2a9d8f' } })
    .webp({ lossless: true, effort: 2 })
    .toBuffer();
  // The single-image file is RIFF/WEBP/VP8L…: keep the VP8L chunk (header, payload, padding).
  if (one.toString('latin1', 12, 16) !== 'VP8L') throw new Error('expected a simple lossless WebP');
  const vp8l = one.subarray(12);
  const vp8x = Buffer.concat([Buffer.from([0x12, 0, 0, 0]), le24(side - 1), le24(side - 1)]); // animation + alpha
  const anim = Buffer.from([255, 255, 255, 255, 0, 0]); // background, loop forever
  const frameHeader = Buffer.concat([le24(0), le24(0), le24(side - 1), le24(side - 1), le24(100), Buffer.from([0])]);
  const anmf = riffChunk('ANMF', Buffer.concat([frameHeader, vp8l]));
  const body = Buffer.concat([
    Buffer.from('WEBP', 'latin1'),
    riffChunk('VP8X', vp8x),
    riffChunk('ANIM', anim),
    ...Array.from({ length: frames }, () => anmf),
  ]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), le32(body.length), body]);
}

const le32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
