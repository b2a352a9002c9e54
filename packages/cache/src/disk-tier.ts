import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readEntryFile, readEntryFileAsync, writeEntryFile, WriteMode } from './disk-files.js';
import type { OutgoingEntry } from './entry.js';
import { decodeFrame, type Codec } from './frame.js';
import {
  matches,
  type CacheTier,
  type EvictListener,
  type Meta,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierStatsSnapshot,
} from './tier.js';

const MAGIC = Buffer.from('TFC2');
const HEAD = 4 + 8 + 2; // magic, expiresAtMs (0 = never), key length

export interface DiskTierOptions {
  /** Size cap; past it the least recently used files are removed down to 80 % of it. */
  maxBytes?: number;
  codec?: Codec;
  /** A hit refreshes the file's mtime at most this often per process (default 60 s). */
  touchIntervalMs?: number;
  /** Files up to this size are read and written synchronously (default 64 KiB; 0 = never; see disk-files.ts). */
  syncMaxBytes?: number;
  /** Writes stay synchronous while most take at most this long (µs, default 150; see WriteMode). */
  syncWriteBudgetUs?: number;
}

/**
 * Per-host files under CACHE_DIR, content-addressed by a hash of the key, compressed (see frame.ts).
 * Writes go to a temp file renamed into place, so a reader never sees half a file. A lookup of one
 * entry, and its write while writes are cheap, are synchronous calls (disk-files.ts). A file that fails
 * its checksum is deleted and counted, never served. Last use is the file's mtime (touched on a hit),
 * so the LRU order is shared by every process using the same directory.
 *
 * File: MAGIC(4) expiresAtMs(8) keyLength(2) key frame
 */
export class DiskTier<M extends Meta = Meta> implements CacheTier<M> {
  readonly name = 'disk' as const;
  corrupt = 0;
  evictions = 0;
  private approxBytes: number | undefined;
  private evicting?: Promise<void>;
  private sizing?: Promise<void>;
  private readonly touched = new Map<string, number>();
  private evicted?: EvictListener;
  private readonly writeMode: WriteMode;

  constructor(
    private readonly dir: string,
    private readonly opts: DiskTierOptions = {},
  ) {
    this.writeMode = new WriteMode(opts.syncWriteBudgetUs);
  }

  onEvict(listener: EvictListener): void {
    this.evicted = listener;
  }

  /** The key stored in a file's header, read without the value; undefined = gone or not an entry. */
  private async keyIn(file: string): Promise<string | undefined> {
    const fh = await fs.open(file, 'r').catch(() => undefined);
    if (!fh) return undefined;
    try {
      const head = Buffer.alloc(HEAD);
      if ((await fh.read(head, 0, HEAD, 0)).bytesRead < HEAD || !head.subarray(0, 4).equals(MAGIC)) return undefined;
      const key = Buffer.alloc(head.readUInt16BE(12));
      return (await fh.read(key, 0, key.length, HEAD)).bytesRead === key.length ? key.toString('utf8') : undefined;
    } finally {
      await fh.close();
    }
  }

  /** Refreshes a file's last use (its mtime) at most once a minute per process: a hit costs no extra syscall. */
  private touch(file: string): void {
    const now = Date.now();
    if (now - (this.touched.get(file) ?? -Infinity) < (this.opts.touchIntervalMs ?? 60_000)) return;
    if (this.touched.size > 100_000) this.touched.clear();
    this.touched.set(file, now);
    const t = new Date(now);
    void fs.utimes(file, t, t).catch(() => undefined);
  }

  private file(key: string): string {
    const h = createHash('sha256').update(key).digest('hex');
    return path.join(this.dir, h.slice(0, 2), h);
  }

  /** Parses a file; undefined = corrupt. `expired` entries are reported so callers can drop them. */
  private parse(raw: Buffer): (StoredValue<M> & { key: string; expiresAt: number }) | undefined {
    if (raw.length < HEAD || !raw.subarray(0, 4).equals(MAGIC)) return undefined;
    const keyEnd = HEAD + raw.readUInt16BE(12);
    if (keyEnd > raw.length) return undefined;
    const frame = decodeFrame<M>(raw.subarray(keyEnd));
    return frame && { key: raw.toString('utf8', HEAD, keyEnd), expiresAt: Number(raw.readBigUInt64BE(4)), ...frame };
  }

  async get(key: string): Promise<StoredValue<M> | undefined> {
    const file = this.file(key);
    const raw = await readEntryFile(file, this.opts.syncMaxBytes);
    if (!raw) return undefined;
    const e = this.parse(raw);
    if (!e || e.key !== key) {
      this.corrupt++;
      await fs.rm(file, { force: true });
      return undefined;
    }
    if (e.expiresAt && e.expiresAt < Date.now()) {
      await fs.rm(file, { force: true });
      this.evicted?.(key, 'expired');
      return undefined;
    }
    this.touch(file);
    return { value: e.value, meta: e.meta };
  }

  async set(key: string, entry: OutgoingEntry<M>, ttlSeconds?: number): Promise<void> {
    const file = this.file(key);
    const keyBytes = Buffer.from(key);
    const head = Buffer.alloc(HEAD);
    MAGIC.copy(head, 0);
    head.writeBigUInt64BE(BigInt(ttlSeconds ? Date.now() + ttlSeconds * 1000 : 0), 4);
    head.writeUInt16BE(keyBytes.length, 12);
    const body = Buffer.concat([head, keyBytes, entry.frame(this.opts.codec)]);
    await writeEntryFile(file, body, this.opts.syncMaxBytes, this.writeMode);
    if (!this.opts.maxBytes) return;
    // Sizing the directory and evicting run in the background: a write never waits for a scan.
    if (this.approxBytes === undefined) {
      this.sizing ??= this.scan()
        .then((all) => void (this.approxBytes = all.reduce((sum, f) => sum + f.size, 0)))
        .catch(() => undefined)
        .finally(() => (this.sizing = undefined));
      return;
    }
    this.approxBytes += body.length;
    if (this.approxBytes > this.opts.maxBytes)
      this.evicting ??= this.evict()
        .catch(() => undefined)
        .finally(() => (this.evicting = undefined));
  }

  /** Resolves when background sizing and eviction are done. */
  async idle(): Promise<void> {
    while (this.sizing || this.evicting) await (this.sizing ?? this.evicting);
  }

  private async files(): Promise<string[]> {
    const dirs = (await fs.readdir(this.dir).catch(() => [] as string[])).filter((e) => /^[0-9a-f]{2}$/.test(e));
    const out: string[] = [];
    for (const d of dirs)
      for (const f of await fs.readdir(path.join(this.dir, d)).catch(() => [] as string[]))
        if (!f.endsWith('.tmp')) out.push(path.join(this.dir, d, f));
    return out;
  }

  private async scan(): Promise<Array<{ file: string; size: number; mtimeMs: number }>> {
    const out = [];
    for (const file of await this.files()) {
      const st = await fs.stat(file).catch(() => undefined);
      if (st) out.push({ file, size: st.size, mtimeMs: st.mtimeMs });
    }
    return out;
  }

  /** Removes least recently used files until the directory is at 80 % of the cap. */
  private async evict(): Promise<void> {
    const all = (await this.scan()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = all.reduce((s, f) => s + f.size, 0);
    const target = this.opts.maxBytes! * 0.8;
    for (const f of all) {
      if (total <= target) break;
      // The key is only in the file: read it first, when someone listens for evictions.
      const key = this.evicted && (await this.keyIn(f.file));
      await fs.rm(f.file, { force: true });
      total -= f.size;
      this.evictions++;
      if (key) this.evicted?.(key, 'size');
    }
    this.approxBytes = total;
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  async purge(filter: PurgeFilter): Promise<number> {
    if ('key' in filter) {
      const had = await readEntryFile(this.file(filter.key), this.opts.syncMaxBytes);
      await this.delete(filter.key);
      return had ? 1 : 0;
    }
    if ('all' in filter) {
      const n = (await this.files()).length;
      await this.clear();
      return n;
    }
    let n = 0;
    for (const file of await this.files()) {
      const raw = await readEntryFileAsync(file);
      const e = raw && this.parse(raw);
      if (!e || matches(filter, e.key, e.meta)) {
        await fs.rm(file, { force: true });
        if (e) n++;
      }
    }
    return n;
  }

  async *entries(): AsyncIterable<TierEntry<M>> {
    for (const file of await this.files()) {
      const raw = await readEntryFileAsync(file);
      const e = raw && this.parse(raw);
      if (!e || (e.expiresAt && e.expiresAt < Date.now())) continue;
      yield {
        key: e.key,
        value: e.value,
        meta: e.meta,
        ttlSeconds: e.expiresAt ? Math.ceil((e.expiresAt - Date.now()) / 1000) : undefined,
      };
    }
  }

  async clear(): Promise<void> {
    const entries = await fs.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(
      entries
        .filter((e) => /^[0-9a-f]{2}$/.test(e))
        .map((e) => fs.rm(path.join(this.dir, e), { recursive: true, force: true })),
    );
    this.approxBytes = undefined;
  }

  stats(): TierStatsSnapshot {
    return { bytes: this.approxBytes, evictions: this.evictions, corrupt: this.corrupt };
  }

  async close(): Promise<void> {
    await this.idle();
  }
}
