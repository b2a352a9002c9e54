import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { CORPUS, corpusManifest } from '../helpers/corpus.js';
import { syntheticLogo } from '../helpers/synthetic.js';

export interface FuzzInput {
  kind: string;
  bytes: Buffer;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG whose IHDR declares the given size (CRC fixed so decoders get past the header). */
function withDeclaredSize(pngBytes: Buffer, width: number, height: number, fixCrc: boolean): Buffer {
  const b = Buffer.from(pngBytes);
  if (b.toString('latin1', 12, 16) !== 'IHDR') return b;
  b.writeUInt32BE(width >>> 0, 16);
  b.writeUInt32BE(height >>> 0, 20);
  if (fixCrc) b.writeUInt32BE(crc32(b.subarray(12, 29)), 29);
  return b;
}

/** A minimal, valid PNG header + IDAT that declares huge dimensions (a decompression bomb in miniature). */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const idat = zlib.deflateSync(Buffer.alloc(Math.min(1 << 20, (width + 1) * 4)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const POSERS = [
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
  '<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg>&e;</svg>',
  'GIF89a\x01\x00\x01\x00\x00\x00\x00;',
  '%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj',
  'BM\x1e\x00\x00\x00\x00\x00\x00\x00\x1a\x00\x00\x00',
];

/** Valid seed images of every kind the issue lists; all small so the full pipeline stays cheap. */
export async function seeds(): Promise<FuzzInput[]> {
  const raw = await sharp(await syntheticLogo(7))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const base = () => sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: 4 } });
  const a = await base().png().toBuffer();
  const b = await sharp(await syntheticLogo(8))
    .png()
    .toBuffer();
  const rasters = corpusManifest()
    .filter((f) => f.kind === 'raster')
    .slice(0, 2)
    .map((f) => fs.readFileSync(path.join(CORPUS, f.file)));
  return [
    { kind: 'png', bytes: a },
    { kind: 'jpeg', bytes: await base().flatten({ background: '#fff' }).jpeg().toBuffer() },
    { kind: 'webp', bytes: await base().webp().toBuffer() },
    {
      kind: 'animated-webp',
      bytes: await sharp([a, b], { join: { animated: true } })
        .webp()
        .toBuffer(),
    },
    { kind: 'png16', bytes: await base().toColourspace('rgb16').png().toBuffer() },
    { kind: 'cmyk-jpeg', bytes: await base().flatten({ background: '#fff' }).toColourspace('cmyk').jpeg().toBuffer() },
    { kind: 'palette-png', bytes: await base().png({ palette: true, colours: 8 }).toBuffer() },
    { kind: 'grey-alpha-png', bytes: await base().toColourspace('b-w').ensureAlpha().png().toBuffer() },
    {
      kind: 'exif-rotated-jpeg',
      bytes: await sharp(await base().flatten({ background: '#fff' }).jpeg().toBuffer())
        .withMetadata({ orientation: 6 })
        .jpeg()
        .toBuffer(),
    },
    { kind: 'exif-rotated-webp', bytes: await base().withMetadata({ orientation: 8 }).webp().toBuffer() },
    ...rasters.map((bytes) => ({ kind: 'corpus-raster', bytes })),
  ];
}

/** The fuzz population: fast-check arbitraries over the seeds, sampled deterministically. */
export function inputArbitrary(seedList: FuzzInput[]): fc.Arbitrary<FuzzInput> {
  const seed = fc.constantFrom(...seedList);
  const magic = fc.constantFrom(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'),
  );
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.uint8Array({ maxLength: 4096 }).map((u) => ({ kind: 'random', bytes: Buffer.from(u) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(magic, fc.uint8Array({ maxLength: 4096 }))
        .map(([m, u]) => ({ kind: 'magic+random', bytes: Buffer.concat([m, u]) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(seed, fc.double({ min: 0, max: 1, noNaN: true }))
        .map(([s, f]) => ({ kind: `truncated-${s.kind}`, bytes: s.bytes.subarray(0, Math.floor(s.bytes.length * f)) })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(seed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 16 }))
        .map(([s, flips]) => {
          const b = Buffer.from(s.bytes);
          for (const [pos, bit] of flips) b[pos % b.length] ^= 1 << bit;
          return { kind: `bitflip-${s.kind}`, bytes: b };
        }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(seed, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([s, at, junk]) => {
        const b = Buffer.from(s.bytes);
        Buffer.from(junk).copy(b, at % b.length);
        return { kind: `overwrite-${s.kind}`, bytes: b };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean())
        .map(([w, h, fix]) => ({
          kind: 'declared-size',
          bytes: withDeclaredSize(seedList[0].bytes, w, h, fix),
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 1000, max: 100_000 }), fc.integer({ min: 1000, max: 100_000 }))
        .map(([w, h]) => ({ kind: 'bomb', bytes: bombPng(w, h) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...POSERS), fc.string({ maxLength: 200 }))
        .map(([p, s]) => ({ kind: 'poser', bytes: Buffer.from(p + s) })),
    },
    { weight: 1, arbitrary: seed.map((s) => ({ kind: `valid-${s.kind}`, bytes: s.bytes })) },
  );
}

export function sampleInputs(seedList: FuzzInput[], n: number, seed: number): FuzzInput[] {
  return fc.sample(inputArbitrary(seedList), { numRuns: n, seed });
}
