import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskTier, LayeredCache, MemoryTier } from '@tracefleet/cache';
import { hashBytes, resultKey, type Conversion, type ResultMeta } from '@tracefleet/contract';
import { Renditions, type EntryMeta } from './index.js';

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><path fill="#0a66c2" d="M1 1h8v8H1z"/></svg>';
const META: ResultMeta = {
  pipelineVersion: '0',
  featuresVersion: '0',
  width: 10,
  height: 10,
  bytes: 20,
  paths: 1,
  colors: ['#0a66c2'],
  gradients: 0,
  logoType: 'simple',
  mode: 'color',
  params: { turdsize: 2, alphamax: 1, opticurve: true, opttolerance: 0.2, turnpolicy: 4, maxColors: 8 },
  retried: false,
  quality: { ssim: 0.99, ssimGrey: 0.99, badPixelShare: 0 },
  timings: { total: 1 },
};
const conversion: Conversion = {
  key: resultKey(hashBytes(Buffer.from('logo')), 'auto.a', '0'),
  svg: SVG,
  meta: META,
  cache: 'miss',
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renditions-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const cacheWith = (disk: DiskTier) =>
  new LayeredCache<EntryMeta>(
    { memory: new MemoryTier({ maxBytes: 1 << 20, adaptive: false }), lower: [disk] },
    { hitFlushMs: 0 },
  );

describe('Renditions', () => {
  it('renders once, then answers from memory, then from disk in another process', async () => {
    const disk = new DiskTier(dir, { maxBytes: 1 << 20 });
    const r = new Renditions(cacheWith(disk));
    const [a, b] = await Promise.all([
      r.render(conversion, { format: 'pdf' }),
      r.render(conversion, { format: 'pdf' }),
    ]);
    expect(a.cache).toBe('miss');
    expect(b).toBe(a);
    expect(a.contentType).toBe('application/pdf');
    expect(a.key).toBe(conversion.key.replace(':r:', ':o:') + '+pdf');
    const again = await r.render(conversion, { format: 'pdf' });
    expect(again.cache).toBe('hit-memory');
    expect(again.bytes.equals(a.bytes)).toBe(true);
    const other = new Renditions(cacheWith(new DiskTier(dir, { maxBytes: 1 << 20 })));
    expect((await other.render(conversion, { format: 'pdf' })).cache).toBe('hit-disk');
    expect((await other.render(conversion, { format: 'pdf' })).cache).toBe('hit-memory');
  });

  it('keeps one entry per output option set, and none for SVG', async () => {
    const r = new Renditions(cacheWith(new DiskTier(dir, { maxBytes: 1 << 20 })));
    const small = await r.render(conversion, { format: 'png', size: 16 });
    const big = await r.render(conversion, { format: 'png', size: 64 });
    expect(small.key).not.toBe(big.key);
    expect(big.bytes.length).toBeGreaterThan(small.bytes.length);
    const svg = await r.render(conversion, { format: 'svg' });
    expect(svg).toMatchObject({ cache: 'source', key: conversion.key, contentType: 'image/svg+xml; charset=utf-8' });
    expect(svg.bytes.toString()).toBe(SVG);
  });
});
