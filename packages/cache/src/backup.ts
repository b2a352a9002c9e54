import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { TracefleetError } from '@tracefleet/errors';
import { OutgoingEntry } from './entry.js';
import type { CacheTier, TierEntry } from './tier.js';

/**
 * Backup format, version 1: gzip of newline-delimited JSON.
 *   {"format":"tracefleet-cache","version":1,"tier":"redis","createdAt":"…"}
 *   {"k":"<key>","m":{meta},"t":<ttl seconds or null>,"v":"<base64 value>"}   one per entry
 *   {"end":true,"count":<entries>}                                               trailer
 * Streamed both ways (constant memory); the trailer makes a truncated file an error, not a
 * silently partial restore.
 */
export const EXPORT_FORMAT = { format: 'tracefleet-cache', version: 1 } as const;

export interface ExportSummary {
  count: number;
  bytes: number;
}

async function* lines(tier: CacheTier, summary: ExportSummary): AsyncIterable<string> {
  yield JSON.stringify({ ...EXPORT_FORMAT, tier: tier.name, createdAt: new Date().toISOString() }) + '\n';
  for await (const e of tier.entries()) {
    summary.count++;
    summary.bytes += e.value.length;
    yield JSON.stringify({ k: e.key, m: e.meta, t: e.ttlSeconds ?? null, v: e.value.toString('base64') }) + '\n';
  }
  yield JSON.stringify({ end: true, count: summary.count }) + '\n';
}

/** Streams every entry of `tier` into `file` (written to a temp file, renamed when complete). */
export async function exportCache(tier: CacheTier, file: string): Promise<ExportSummary> {
  const summary: ExportSummary = { count: 0, bytes: 0 };
  const tmp = `${file}.${process.pid}.tmp`;
  await pipeline(Readable.from(lines(tier, summary)), zlib.createGzip({ level: 6 }), fs.createWriteStream(tmp));
  await fs.promises.rename(tmp, file);
  return summary;
}

/** Streams a backup into every tier in `targets`; refuses unknown formats and truncated files. */
export async function importCache(
  file: string,
  targets: CacheTier[],
  opts: { defaultTtlSeconds?: number } = {},
): Promise<ExportSummary> {
  const summary: ExportSummary = { count: 0, bytes: 0 };
  const rl = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Infinity,
  });
  let header = false;
  let ended = false;
  try {
    for await (const line of rl) {
      if (!line) continue;
      const rec = JSON.parse(line) as Record<string, unknown>;
      if (!header) {
        if (rec.format !== EXPORT_FORMAT.format || rec.version !== EXPORT_FORMAT.version)
          throw new TracefleetError(
            'BAD_REQUEST',
            `${file} is not a tracefleet cache backup (version ${EXPORT_FORMAT.version})`,
          );
        header = true;
        continue;
      }
      if (rec.end) {
        if (rec.count !== summary.count)
          throw new TracefleetError(
            'BAD_REQUEST',
            `backup trailer says ${String(rec.count)} entries, read ${summary.count}`,
          );
        ended = true;
        continue;
      }
      const e: TierEntry = {
        key: String(rec.k),
        meta: (rec.m ?? {}) as TierEntry['meta'],
        value: Buffer.from(String(rec.v), 'base64'),
        ttlSeconds: typeof rec.t === 'number' ? rec.t : undefined,
      };
      const entry = new OutgoingEntry(e.value, e.meta);
      await Promise.all(targets.map((t) => t.set(e.key, entry, e.ttlSeconds ?? opts.defaultTtlSeconds)));
      summary.count++;
      summary.bytes += e.value.length;
    }
  } catch (err) {
    if (err instanceof TracefleetError) throw err;
    throw new TracefleetError('BAD_REQUEST', `cannot read backup ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!ended) throw new TracefleetError('BAD_REQUEST', `backup ${file} is truncated (no trailer)`);
  return summary;
}
