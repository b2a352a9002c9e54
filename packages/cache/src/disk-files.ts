import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * The disk tier's reads and writes of one entry file. Files up to `syncMaxBytes` (a cold result is
 * 2–3 KB) are read synchronously, and written synchronously while that is cheap (`WriteMode`);
 * larger ones always go through fs.promises.
 *
 * Why block the event loop: an fs.promises call is a hop to libuv's thread pool and back (a futex
 * wake, an eventfd write, an epoll wake-up, a FileHandle and promises), and writeFile + rename is
 * four of them; on a local file system without fsync the syscalls themselves are cheap. Measured
 * here (3 KB files, CPU of the main thread per write, two writes in flight): writeFile + rename
 * 127–170 µs through fs.promises, 27–30 µs synchronously on tmpfs; a miss 70 µs as a readFile that
 * throws ENOENT, 13–22 µs as a stat that returns undefined. What bounds the pause: one file of at
 * most `syncMaxBytes` per call, never a loop over files (scans, purges and listings stay
 * asynchronous: they would block for as long as the directory is large), no fsync, and a write
 * mode that leaves synchronous writes when they stop being cheap (see `WriteMode`).
 */
export const SYNC_MAX_BYTES = 64 * 1024;

/**
 * A synchronous write is the cheaper choice only while creating a file is cheap: 20–30 µs on tmpfs,
 * but a median 270–440 µs on this machine's ext4 without a journal (each new inode skips the
 * recently freed ones, reading their inode blocks), or more on a network file system — dearer than
 * the ≈150 µs an fs.promises write costs the event loop. So every synchronous write is timed, and
 * when most recent ones took longer than the budget, writes go through fs.promises, with one write
 * in 16 still synchronous to notice when the file system is fast again.
 */
export const SYNC_WRITE_BUDGET_US = 150;
const PROBE_EVERY = 16;

export class WriteMode {
  /** Moving share of recent synchronous writes over the budget (weight 1/8 per write). */
  private slowShare = 0;
  private skipped = 0;

  constructor(private readonly budgetUs = SYNC_WRITE_BUDGET_US) {}

  /** Whether the next small write should be synchronous. */
  sync(): boolean {
    if (this.slowShare <= 0.5 || ++this.skipped >= PROBE_EVERY) {
      this.skipped = 0;
      return true;
    }
    return false;
  }

  /** The wall time of a synchronous write. */
  record(us: number): void {
    this.slowShare += ((us > this.budgetUs ? 1 : 0) - this.slowShare) / 8;
  }

  get synchronous(): boolean {
    return this.slowShare <= 0.5;
  }
}

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
export async function writeEntryFile(
  file: string,
  body: Buffer,
  syncMaxBytes = SYNC_MAX_BYTES,
  mode?: WriteMode,
): Promise<void> {
  const tmp = `${file}.${PROCESS_TAG}.${(sequence = (sequence + 1) % 0x1_0000_0000).toString(36)}.tmp`;
  if (body.length > syncMaxBytes || (mode && !mode.sync())) return writeAsync(tmp, file, body);
  const started = performance.now();
  writeSync(tmp, file, body);
  mode?.record((performance.now() - started) * 1000);
}

function writeSync(tmp: string, file: string, body: Buffer): void {
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
