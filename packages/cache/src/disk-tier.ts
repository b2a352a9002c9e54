import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CacheTier } from './tier.js';

const MAGIC = Buffer.from('TFC1');

/**
 * Per-host files under CACHE_DIR, content-addressed by a hash of the key. Writes go to a temp
 * file and are renamed into place, so a reader never sees half a file; each file carries its
 * expiry and a checksum, and a file that fails the check is deleted, never served.
 */
export class DiskTier implements CacheTier {
  readonly name = 'disk' as const;
  corrupt = 0;

  constructor(private readonly dir: string) {}

  private file(key: string): string {
    const h = createHash('sha256').update(key).digest('hex');
    return path.join(this.dir, h.slice(0, 2), h);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const file = this.file(key);
    let raw: Buffer;
    try {
      raw = await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    // layout: MAGIC(4) expiresAtMs(8, 0 = never) sha256(32) payload
    const ok = raw.length >= 44 && raw.subarray(0, 4).equals(MAGIC);
    const payload = raw.subarray(44);
    if (!ok || !createHash('sha256').update(payload).digest().equals(raw.subarray(12, 44))) {
      this.corrupt++;
      await fs.rm(file, { force: true });
      return undefined;
    }
    const expires = Number(raw.readBigUInt64BE(4));
    if (expires && expires < Date.now()) {
      await fs.rm(file, { force: true });
      return undefined;
    }
    return Buffer.from(payload);
  }

  async set(key: string, value: Buffer, ttlSeconds?: number): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const header = Buffer.alloc(44);
    MAGIC.copy(header, 0);
    header.writeBigUInt64BE(BigInt(ttlSeconds ? Date.now() + ttlSeconds * 1000 : 0), 4);
    createHash('sha256').update(value).digest().copy(header, 12);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, Buffer.concat([header, value]));
    await fs.rename(tmp, file);
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  async clear(): Promise<void> {
    const entries = await fs.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(entries.filter((e) => /^[0-9a-f]{2}$/.test(e)).map((e) => fs.rm(path.join(this.dir, e), { recursive: true, force: true })));
  }

  async close(): Promise<void> {}
}
