import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteMode } from './disk-files.js';
import { DiskTier } from './disk-tier.js';
import { entryOf } from './entry.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tf-disk-io-'));
const fileOf = (dir: string, key: string) => {
  const h = createHash('sha256').update(key).digest('hex');
  return path.join(dir, h.slice(0, 2), h);
};
const walk = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [e.name]));
/** Bytes that do not compress, so the file is about as large as the value. */
const noise = (n: number) => randomBytes(n);

afterEach(() => vi.restoreAllMocks());

describe('disk tier file I/O', () => {
  it('reads and writes a small entry without fs.promises, a large one through it', async () => {
    const dir = tmp();
    const tier = new DiskTier(dir, { syncMaxBytes: 16 * 1024, syncWriteBudgetUs: Infinity });
    const spies = (['readFile', 'writeFile', 'rename', 'open', 'mkdir'] as const).map((f) => vi.spyOn(fsp, f));
    const asyncCalls = () => spies.reduce((n, s) => n + s.mock.calls.length, 0);

    expect(await tier.get('small')).toBeUndefined(); // a miss: a stat, no exception
    await tier.set('small', entryOf(Buffer.from('<svg/>'.repeat(400)), { logoType: 'mono' }));
    expect((await tier.get('small'))?.value.toString()).toBe('<svg/>'.repeat(400));
    expect(asyncCalls()).toBe(0);

    const big = noise(40 * 1024);
    await tier.set('big', entryOf(big));
    expect((await tier.get('big'))?.value.equals(big)).toBe(true);
    expect(spies[1].mock.calls.length).toBeGreaterThan(0); // writeFile (twice when its directory is new)
    expect(spies[0].mock.calls.length).toBe(1); // readFile
    expect(walk(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes through fs.promises once synchronous writes are slow, probing one in 16', async () => {
    const dir = tmp();
    const tier = new DiskTier(dir, { syncWriteBudgetUs: 0 }); // every synchronous write is over budget
    const writeFile = vi.spyOn(fsp, 'writeFile');
    for (let i = 0; i < 6; i++) await tier.set(`warm${i}`, entryOf(Buffer.from('v')));
    expect(writeFile).not.toHaveBeenCalled(); // 6 slow writes: the share of slow ones passes 1/2
    const files = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
    for (const k of files(32)) await tier.set(k, entryOf(Buffer.from(k)));
    // The directories are new, so some async writes call writeFile twice: count distinct temp files.
    const asyncWrites = new Set(writeFile.mock.calls.map((c) => String(c[0]))).size;
    expect(asyncWrites).toBe(30); // 2 of 32 probed synchronously
    for (const k of files(32)) expect((await tier.get(k))?.value.toString()).toBe(k);
    expect(walk(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('syncMaxBytes 0 keeps every read and write asynchronous', async () => {
    const tier = new DiskTier(tmp(), { syncMaxBytes: 0 });
    const writeFile = vi.spyOn(fsp, 'writeFile');
    const readFile = vi.spyOn(fsp, 'readFile');
    await tier.set('k', entryOf(Buffer.from('v')));
    expect((await tier.get('k'))?.value.toString()).toBe('v');
    // Two writeFile calls: the first finds the directory missing, the second follows the mkdir.
    expect([writeFile.mock.calls.length, readFile.mock.calls.length]).toEqual([2, 1]);
  });

  it.each([
    ['small', 1024],
    ['large', 100 * 1024],
  ])('makes the directory a %s write finds missing, after a purge too', async (_size, n) => {
    const dir = tmp();
    const tier = new DiskTier(dir);
    await tier.set('a', entryOf(noise(n)));
    await tier.purge({ all: true });
    expect(fs.readdirSync(dir)).toEqual([]);
    await tier.set('a', entryOf(noise(n)));
    expect((await tier.get('a'))?.value.length).toBe(n);
  });

  it.each([
    ['small', 1024],
    ['large', 100 * 1024],
  ])('a %s write that cannot be renamed into place fails and leaves no temp file', async (_size, n) => {
    const dir = tmp();
    const tier = new DiskTier(dir);
    // A non-empty directory where the entry's file goes: the rename is refused.
    const file = fileOf(dir, 'k');
    fs.mkdirSync(path.join(file, 'x'), { recursive: true });
    await expect(tier.set('k', entryOf(noise(n)))).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it('a write or read in a directory that is a file fails (not ENOENT: no mkdir, not a miss)', async () => {
    const dir = tmp();
    const tier = new DiskTier(dir);
    const file = fileOf(dir, 'k');
    fs.writeFileSync(path.dirname(file), 'not a directory');
    await expect(tier.set('k', entryOf(Buffer.from('v')))).rejects.toThrow(/ENOTDIR/);
    await expect(tier.get('k')).rejects.toThrow(/ENOTDIR/);
  });

  it('deletes and counts a corrupt small file, and drops an expired one', async () => {
    const dir = tmp();
    const tier = new DiskTier(dir);
    await tier.set('bad', entryOf(Buffer.from('x'.repeat(500))));
    const f = fileOf(dir, 'bad');
    const b = fs.readFileSync(f);
    b[b.length - 1] ^= 0xff;
    fs.writeFileSync(f, b);
    expect(await tier.get('bad')).toBeUndefined();
    expect(tier.stats().corrupt).toBe(1);
    expect(fs.existsSync(f)).toBe(false);

    const expired: string[] = [];
    tier.onEvict((k) => expired.push(k));
    await tier.set('old', entryOf(Buffer.from('v')), 0.01);
    await new Promise((r) => setTimeout(r, 30));
    expect(await tier.get('old')).toBeUndefined();
    expect(expired).toEqual(['old']);
    expect(fs.existsSync(fileOf(dir, 'old'))).toBe(false);
  });

  it('counts synchronous writes toward the size cap', async () => {
    const dir = tmp();
    const tier = new DiskTier(dir, { maxBytes: 50_000, codec: 'raw' });
    await tier.set('first', entryOf(noise(4000)));
    await tier.idle();
    for (let i = 0; i < 20; i++) {
      await tier.set(`k${i}`, entryOf(noise(4000)));
      await tier.idle();
    }
    expect(tier.stats().evictions).toBeGreaterThan(0);
    const total = walk(dir).length * 4000;
    expect(total).toBeLessThanOrEqual(50_000);
  });
});

describe('WriteMode', () => {
  it('leaves synchronous writes when most recent ones were slow and comes back when they are fast', () => {
    const m = new WriteMode(100);
    expect(m.synchronous).toBe(true);
    for (let i = 0; i < 5; i++) m.record(500);
    expect(m.synchronous).toBe(true); // 1 - (7/8)^5 = 0.49
    m.record(500);
    expect(m.synchronous).toBe(false);
    const choices = Array.from({ length: 32 }, () => m.sync());
    expect(choices.filter(Boolean).length).toBe(2); // probes
    for (let i = 0; i < 8; i++) m.record(20);
    expect(m.synchronous).toBe(true);
    expect(Array.from({ length: 8 }, () => m.sync()).every(Boolean)).toBe(true);
  });

  it('a rare slow write (a preemption) does not switch', () => {
    const m = new WriteMode(100);
    for (let i = 0; i < 200; i++) m.record(i % 4 === 0 ? 5000 : 30);
    expect(m.synchronous).toBe(true);
  });
});
