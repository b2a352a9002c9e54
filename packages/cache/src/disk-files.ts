import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * The disk tier's reads and writes of one entry file. Files up to `syncMaxBytes` (a cold result is
 * 2–3 KB) go through synchronous calls, larger ones through fs.promises.
 *
 * Why block the event loop: an fs.promises call is a hop to libuv's thread pool and back (a futex
 * wake, an eventfd write, an epoll wake-up, a FileHandle and promises), and writeFile + rename is
 * four of them; on a local disk without fsync the syscalls themselves are page-cache copies. Measured
 * here on a 3 KB file: writeFile + rename 260–308 µs of CPU through fs.promises, 63–88 µs
 * synchronously; a miss 70 µs as a readFile that throws ENOENT, 13–22 µs as a stat that returns
 * undefined. What bounds the pause: one file of at most `syncMaxBytes` per call, never a loop over
 * files (scans, purges and listings stay asynchronous, they would block for as long as the
 * directory is large), no fsync. CACHE_DIR is per host and meant to be local: on a network file
 * system set `syncMaxBytes: 0`.
 */
export const SYNC_MAX_BYTES = 64 * 1024;

/**
 * Temp names: the file's name, a tag random per process (pids repeat across containers sharing a
 * volume) and a counter, so no write needs random bytes of its own.
 */
const PROCESS_TAG = randomBytes(6).toString('hex');
let sequence = 0;

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** The file's bytes; undefined when it does not exist. A miss costs one stat and no exception. */
export async function readEntryFile(file: string, syncMaxBytes = SYNC_MAX_BYTES): Promise<Buffer | undefined> {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) return undefined;
  try {
    return st.size <= syncMaxBytes ? fs.readFileSync(file) : await fsp.readFile(file);
  } catch (err) {
    // Removed between the stat and the read (a purge, an eviction, another process).
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** The file's bytes, asynchronously: for loops over many files, which must not hold the event loop. */
export async function readEntryFileAsync(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/**
 * Writes `body` to a temp file beside `file` and renames it into place, so a reader never sees half
 * a file. The directory is made lazily, when the write finds it missing (first use, or removed by a
 * purge of any process sharing the directory), so a steady-state write costs no mkdir.
 */
export async function writeEntryFile(file: string, body: Buffer, syncMaxBytes = SYNC_MAX_BYTES): Promise<void> {
  const tmp = `${file}.${PROCESS_TAG}.${(sequence = (sequence + 1) % 0x1_0000_0000).toString(36)}.tmp`;
  if (body.length > syncMaxBytes) return writeAsync(tmp, file, body);
  try {
    fs.writeFileSync(tmp, body);
  } catch (err) {
    if (!isMissing(err)) throw err;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, body);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

async function writeAsync(tmp: string, file: string, body: Buffer): Promise<void> {
  try {
    await fsp.writeFile(tmp, body);
  } catch (err) {
    if (!isMissing(err)) throw err;
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(tmp, body);
  }
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}
