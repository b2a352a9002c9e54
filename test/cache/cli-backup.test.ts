import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '@tracefleet/testing';
import { REPO_ROOT } from '../helpers/corpus.js';
import { syntheticLogo } from '../helpers/synthetic.js';

const run = promisify(execFile);

/** Entries of a backup file, keyed, values as base64 (format: see packages/cache/src/backup.ts). */
function readBackup(file: string): Map<string, { m: unknown; v: string }> {
  const lines = zlib
    .gunzipSync(fs.readFileSync(file))
    .toString()
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines[0]).toMatchObject({ format: 'tracefleet-cache', version: 1 });
  expect(lines.at(-1)).toEqual({ end: true, count: lines.length - 2 });
  return new Map(lines.slice(1, -1).map((e) => [e.k, { m: e.m, v: e.v }]));
}

describe('tracefleet cache warm / export / import', () => {
  let redis: RedisServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cli-cache-'));
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, [path.join(REPO_ROOT, 'apps/cli/dist/main.js'), ...args], {
      env: {
        ...process.env,
        REDIS_URL: redis.url,
        CACHE_DIR: path.join(dir, 'cache'),
        PIPELINE_THREADS: '2',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });

  beforeAll(async () => {
    redis = await startRedis();
    fs.mkdirSync(path.join(dir, 'logos'));
    for (let i = 0; i < 6; i++)
      fs.writeFileSync(path.join(dir, 'logos', `logo-${i}.png`), await syntheticLogo(8000 + i));
  });
  afterAll(async () => {
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('warms a folder into disk and Redis, and a second warm finds everything cached', async () => {
    expect((await cli(['cache', 'warm', path.join(dir, 'logos')])).stdout).toMatch(
      /warmed 6 files: 6 converted, 0 already cached, 0 failed \(tiers: memory, disk, redis\)/,
    );
    expect(
      (await cli(['cache', 'warm', path.join(dir, 'logos')], { CACHE_DIR: path.join(dir, 'other') })).stdout,
    ).toMatch(/0 converted, 6 already cached/);
  });

  it('round-trips Redis through export and import without losing an entry, its metadata or a byte', async () => {
    const first = path.join(dir, 'first.tfc.gz');
    expect((await cli(['cache', 'export', first, '--tier', 'redis'])).stdout).toMatch(/exported 12 entries/);
    const before = readBackup(first);
    expect([...before.keys()].filter((k) => /^v[^:]+:r:/.test(k))).toHaveLength(6);
    expect([...before.keys()].filter((k) => /^v[^:]+:f:/.test(k))).toHaveLength(6);

    await run('redis-cli', ['-p', String(redis.port), 'FLUSHALL']);
    expect((await cli(['cache', 'export', path.join(dir, 'empty.gz'), '--tier', 'redis'])).stdout).toMatch(
      /exported 0 entries/,
    );
    expect(
      (await cli(['cache', 'import', first, '--tier', 'redis,disk'], { CACHE_DIR: path.join(dir, 'restored') })).stdout,
    ).toMatch(/imported 12 entries/);

    const second = path.join(dir, 'second.tfc.gz');
    await cli(['cache', 'export', second, '--tier', 'redis']);
    expect(readBackup(second)).toEqual(before);
    const fromDisk = path.join(dir, 'disk.tfc.gz');
    await cli(['cache', 'export', fromDisk, '--tier', 'disk'], { CACHE_DIR: path.join(dir, 'restored') });
    expect(readBackup(fromDisk)).toEqual(before);
    // And the restored cache answers: nothing is converted again.
    expect(
      (await cli(['cache', 'warm', path.join(dir, 'logos'), '--no-redis'], { CACHE_DIR: path.join(dir, 'restored') }))
        .stdout,
    ).toMatch(/0 converted, 6 already cached/);
  });
});
