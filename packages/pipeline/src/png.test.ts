import zlib from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePng, pngHeader } from './png.js';
import { decodeImage } from './decode.js';
import { DEFAULT_LIMITS } from './options.js';

// A small PNG writer: every colour type and bit depth the fast path takes, any filter per row.

function chunk(type: string, data: Uint8Array = new Uint8Array(0)): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
  return out;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Rows of raw samples (already packed for depth < 8) filtered with filters[y % filters.length]. */
function filterRows(raw: Uint8Array[], bpp: number, filters: number[]): Buffer {
  const out: number[] = [];
  raw.forEach((row, y) => {
    const prev = y > 0 ? raw[y - 1] : new Uint8Array(row.length);
    const f = filters[y % filters.length];
    out.push(f);
    for (let i = 0; i < row.length; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f];
      out.push((row[i] - pred) & 255);
    }
  });
  return Buffer.from(out);
}

interface PngSpec {
  width: number;
  height: number;
  colourType: number;
  depth: number;
  filters?: number[];
  palette?: number; // entries
  trns?: Uint8Array;
  extra?: Buffer[]; // chunks before IDAT
  seed?: number;
}

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
}

function writePng(spec: PngSpec): Buffer {
  const { width, height, colourType, depth } = spec;
  const rnd = random(spec.seed ?? 1);
  const bits = CHANNELS[colourType] * depth;
  const rowBytes = Math.ceil((width * bits) / 8);
  const max = (1 << depth) - 1;
  const samplesMax = colourType === 3 ? Math.min(max, (spec.palette ?? 256) - 1) : max;
  // Few distinct values, so colour keys and flat runs occur; some rows repeat the one above.
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const row = new Uint8Array(rowBytes);
    if (y > 0 && rnd() < 0.3) row.set(rows[y - 1]);
    else
      for (let x = 0; x < width * CHANNELS[colourType]; x++) {
        const v =
          rnd() < 0.5 ? Math.floor(rnd() * 3) * Math.floor(samplesMax / 2) : Math.floor(rnd() * (samplesMax + 1));
        const bit = x * depth;
        row[bit >> 3] |= v << (8 - depth - (bit & 7));
      }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([depth, colourType, 0, 0, 0], 8);
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  parts.push(...(spec.extra ?? []));
  if (spec.palette)
    parts.push(
      chunk(
        'PLTE',
        Uint8Array.from({ length: spec.palette * 3 }, () => Math.floor(rnd() * 256)),
      ),
    );
  if (spec.trns) parts.push(chunk('tRNS', spec.trns));
  const idat = zlib.deflateSync(filterRows(rows, Math.max(1, bits >> 3), spec.filters ?? [0, 1, 2, 3, 4]));
  // Split IDAT in two: decoders must join them.
  const cut = idat.length >> 1;
  parts.push(chunk('IDAT', idat.subarray(0, cut)), chunk('IDAT', idat.subarray(cut)), chunk('IEND'));
  return Buffer.concat(parts);
}

async function sharpPixels(png: Buffer) {
  const { data, info } = await sharp(png, { failOn: 'error', pages: 1 })
    .rotate()
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data),
    width: info.width,
    height: info.height,
    hasAlpha: (await sharp(png).metadata()).hasAlpha,
  };
}

async function expectSameAsSharp(spec: PngSpec) {
  const png = writePng(spec);
  const fast = decodePng(png, 1e8);
  expect(fast, JSON.stringify({ ...spec, extra: undefined, trns: undefined })).toBeDefined();
  const ref = await sharpPixels(png);
  expect([fast!.image.width, fast!.image.height, fast!.hasAlpha]).toEqual([ref.width, ref.height, ref.hasAlpha]);
  expect(Buffer.compare(Buffer.from(fast!.image.data), Buffer.from(ref.data))).toBe(0);
}

const u16 = (...v: number[]) => Uint8Array.from(v.flatMap((x) => [x >> 8, x & 255]));

describe('PNG fast path (png.ts + wasm/png-rows.c) against sharp', () => {
  it('gives sharp’s pixels for every colour type, bit depth and row filter, at odd widths', async () => {
    let n = 0;
    for (const [colourType, depths] of [
      [0, [1, 2, 4, 8]],
      [2, [8]],
      [3, [1, 2, 4, 8]],
      [4, [8]],
      [6, [8]],
    ] as const)
      for (const depth of depths)
        for (const width of [1, 3, 7, 13, 64])
          for (const filter of [0, 1, 2, 3, 4]) {
            const palette = colourType === 3 ? 1 << depth : undefined;
            await expectSameAsSharp({ width, height: 9, colourType, depth, palette, filters: [filter], seed: ++n });
          }
    expect(n).toBe(11 * 5 * 5);
  });

  it('applies tRNS as libvips does: palette alphas (short tables too) and grey and RGB colour keys', async () => {
    const trnsPalette = Uint8Array.from([0, 128, 255, 7]);
    await expectSameAsSharp({
      width: 17,
      height: 11,
      colourType: 3,
      depth: 8,
      palette: 12,
      trns: trnsPalette,
      seed: 5,
    });
    await expectSameAsSharp({ width: 17, height: 11, colourType: 3, depth: 2, palette: 4, trns: trnsPalette, seed: 6 });
    for (const depth of [1, 2, 4, 8]) {
      const max = (1 << depth) - 1;
      await expectSameAsSharp({
        width: 19,
        height: 7,
        colourType: 0,
        depth,
        trns: u16(Math.floor(max / 2)),
        seed: depth,
      });
    }
    await expectSameAsSharp({ width: 19, height: 7, colourType: 2, depth: 8, trns: u16(0, 127, 254), seed: 9 });
  });

  it('ignores the ancillary chunks libvips ignores (gAMA, cHRM, sRGB, pHYs, text, private)', async () => {
    const extra = [
      chunk('gAMA', Uint8Array.from([0, 0, 0x86, 0xa0])), // gamma 1.0: would brighten if applied
      chunk('cHRM', new Uint8Array(32).fill(1)),
      chunk('sRGB', Uint8Array.from([0])),
      chunk('pHYs', Uint8Array.from([0, 0, 11, 19, 0, 0, 11, 19, 1])),
      chunk('tEXt', Buffer.from('Comment\0hello', 'latin1')),
      chunk('tfBn', Buffer.from('bench nonce')),
    ];
    await expectSameAsSharp({ width: 31, height: 13, colourType: 6, depth: 8, extra, seed: 11 });
    await expectSameAsSharp({ width: 31, height: 13, colourType: 2, depth: 8, extra, seed: 12 });
  });

  it('leaves to sharp what it does not take or finds broken', () => {
    const ok: PngSpec = { width: 16, height: 8, colourType: 6, depth: 8, seed: 3 };
    expect(decodePng(writePng(ok), 1e8)).toBeDefined();
    const interlaced = writePng(ok);
    interlaced[28] = 1;
    expect(pngHeader(interlaced)).toBeUndefined(); // its IHDR CRC no longer matches
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(16, 0);
    ihdr.writeUInt32BE(8, 4);
    ihdr.set([8, 6, 0, 0, 1], 8);
    const adam7 = Buffer.concat([writePng(ok).subarray(0, 8), chunk('IHDR', ihdr), writePng(ok).subarray(33)]);
    expect(pngHeader(adam7)?.interlaced).toBe(true);
    expect(decodePng(adam7, 1e8)).toBeUndefined();
    expect(decodePng(writePng({ ...ok, colourType: 2, depth: 16 }), 1e8)).toBeUndefined();
    expect(decodePng(writePng({ ...ok, extra: [chunk('iCCP', Buffer.from('p\0\0x'))] }), 1e8)).toBeUndefined();
    expect(decodePng(writePng({ ...ok, extra: [chunk('eXIf', Buffer.from('MM\0*'))] }), 1e8)).toBeUndefined();
    expect(decodePng(writePng({ ...ok, extra: [chunk('ZZZZ', Buffer.from('x'))] }), 1e8)).toBeUndefined();
    expect(decodePng(writePng(ok), 16 * 8 - 1)).toBeUndefined(); // over the pixel limit: nothing inflated
    const badCrc = writePng(ok);
    badCrc[badCrc.length - 20] ^= 1; // inside the second IDAT
    expect(decodePng(badCrc, 1e8)).toBeUndefined();
    const full = writePng(ok);
    expect(decodePng(full.subarray(0, full.length - 30), 1e8)).toBeUndefined(); // truncated
    expect(decodePng(writePng({ ...ok, filters: [5] }), 1e8)).toBeUndefined(); // no filter type 5
    const palette = writePng({ width: 16, height: 8, colourType: 3, depth: 8, palette: 256, seed: 4 });
    const short = Buffer.concat([
      palette.subarray(0, 33),
      chunk('PLTE', new Uint8Array(3 * 2)),
      palette.subarray(33 + 12 + 768),
    ]);
    expect(decodePng(short, 1e8)).toBeUndefined(); // indices past the palette's 2 entries
  });

  it('decodeImage answers broken PNGs as sharp did: the same error codes', async () => {
    const ok = writePng({ width: 40, height: 40, colourType: 6, depth: 8, seed: 8 });
    const truncated = ok.subarray(0, ok.length - 40);
    await expect(decodeImage(truncated, DEFAULT_LIMITS)).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    const tiny = writePng({ width: 3, height: 40, colourType: 6, depth: 8, seed: 8 });
    await expect(decodeImage(tiny, DEFAULT_LIMITS)).rejects.toMatchObject({ code: 'IMAGE_TOO_SMALL' });
    const decoded = await decodeImage(ok, DEFAULT_LIMITS);
    expect(Buffer.compare(Buffer.from(decoded.reference.data), Buffer.from((await sharpPixels(ok)).data))).toBe(0);
  });
});
