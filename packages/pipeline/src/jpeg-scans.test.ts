import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probeImage } from './decode.js';
import { jpegScanCount } from './jpeg-scans.js';
import { DEFAULT_LIMITS } from './options.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');

/** A progressive JPEG followed by `extra` copies of its last scan (SOS header and entropy data). */
async function withExtraScans(extra: number): Promise<Buffer> {
  const base = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3060c0' } })
    .jpeg({ progressive: true })
    .toBuffer();
  const lastSos = base.lastIndexOf(Buffer.from([0xff, 0xda]));
  const scan = base.subarray(lastSos, base.length - 2);
  return Buffer.concat([base.subarray(0, base.length - 2), ...Array(extra).fill(scan), base.subarray(-2)]);
}

describe('JPEG scan count from the markers', () => {
  it('counts one scan in a baseline JPEG and the scans of a progressive one', async () => {
    const img = sharp({ create: { width: 40, height: 30, channels: 3, background: '#c03020' } });
    expect(jpegScanCount(await img.clone().jpeg().toBuffer())).toBe(1);
    const progressive = jpegScanCount(await img.clone().jpeg({ progressive: true }).toBuffer());
    expect(progressive).toBeGreaterThan(1);
    expect(progressive).toBeLessThan(20);
    expect(jpegScanCount(await withExtraScans(5))).toBe(progressive + 5);
  });

  it('skips entropy data: stuffed 0xFF00 bytes and restart markers are not segments', async () => {
    const noisy = Buffer.alloc(64 * 64 * 3);
    for (let i = 0; i < noisy.length; i++) noisy[i] = (i * 7919) % 251;
    const bytes = await sharp(noisy, { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(bytes.includes(Buffer.from([0xff, 0x00]))).toBe(true);
    expect(jpegScanCount(bytes)).toBe(1);
  });

  it('stops counting past the limit and survives truncated or corrupt files', async () => {
    expect(jpegScanCount(await withExtraScans(1000), 10)).toBe(11);
    const corrupt = fs.readFileSync(path.join(CORPUS, 'bad', 'bad-corrupt.jpg'));
    expect(jpegScanCount(corrupt)).toBeGreaterThanOrEqual(0);
    for (let n = 0; n < 40; n++) expect(jpegScanCount(corrupt.subarray(0, n * 7))).toBeGreaterThanOrEqual(0);
  });

  it('refuses more than MAX_JPEG_SCANS before decoding (IMAGE_TOO_COMPLEX), accepts up to it', async () => {
    const bytes = await withExtraScans(DEFAULT_LIMITS.maxJpegScans);
    await expect(probeImage(bytes, DEFAULT_LIMITS)).rejects.toMatchObject({ code: 'IMAGE_TOO_COMPLEX' });
    const limits = { ...DEFAULT_LIMITS, maxJpegScans: jpegScanCount(bytes) };
    await expect(probeImage(bytes, limits)).resolves.toMatchObject({ format: 'jpeg', width: 64, height: 48 });
  });
});
