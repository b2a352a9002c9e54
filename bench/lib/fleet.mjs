// A fleet started from the build for the benchmarks: redis-server, the API and workers as real
// processes, plus the inputs they are fed (corpus logos made new by a unique PNG chunk) and
// readings of /proc. Shared by bench:load and bench:cpu.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startRedis } from '@tracefleet/testing';

import { corpus, root } from './cli.mjs';

export { corpus, root };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
/** The same picture with a unique tEXt chunk before IEND: new bytes, new cache key, same work. */
export function variant(png, nonce) {
  const data = Buffer.from(`tracefleet-bench\0${nonce}`, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from('tEXt'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([png.subarray(0, png.length - 12), len, td, crc, png.subarray(png.length - 12)]);
}
export const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8')).files;
export const logos = manifest.map((f) => fs.readFileSync(path.join(corpus, f.file)));

const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

export function launch(script, env, nodeArgs = []) {
  const c = spawn(process.execPath, [...nodeArgs, path.join(root, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(c);
  return c;
}
export async function ready(url) {
  for (let i = 0; i < 300; i++) {
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    await sleep(100);
  }
  throw new Error(`not ready: ${url}`);
}

/**
 * Node's own flags for the workers, space-separated (flags NODE_OPTIONS refuses, such as
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`, which profiles the main and pipeline threads separately).
 */
const workerNodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Redis + API + `workers` workers (each PIPELINE_THREADS=1, WORKER_CONCURRENCY=2 unless `workerEnv` says otherwise). */
export async function startFleet(workers, prefix, { workerEnv = {}, env: extra = {} } = {}) {
  const redis = await startRedis();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-bench-'));
  const env = {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: prefix,
    MAX_BATCH_SIZE: '1000',
    DEFAULT_WAIT_SECONDS: '120',
    ...extra,
  };
  const port = await freePort();
  const api = launch('apps/api/dist/main.js', {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CACHE_DIR: path.join(dir, 'api'),
  });
  await ready(`http://127.0.0.1:${port}/ready`);
  const ws = [];
  /** Spawns a worker; resolves when its probe answers. */
  const addWorker = async () => {
    const mp = await freePort();
    const w = launch(
      'apps/worker/dist/main.js',
      {
        ...env,
        METRICS_PORT: String(mp),
        CACHE_DIR: path.join(dir, `w${ws.length}`),
        PIPELINE_THREADS: '1',
        WORKER_CONCURRENCY: '2',
        ...workerEnv,
      },
      workerNodeArgs,
    );
    ws.push({ child: w, port: mp });
    await ready(`http://127.0.0.1:${mp}/ready`);
  };
  for (let i = 0; i < workers; i++) await addWorker();
  return {
    base: `http://127.0.0.1:${port}`,
    redis,
    api,
    workers: ws,
    addWorker,
    async stop() {
      for (const c of [api, ...ws.map((w) => w.child)]) c.kill('SIGTERM');
      await Promise.all(
        [api, ...ws.map((w) => w.child)].map((c) =>
          c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined,
        ),
      );
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TICKS = 100; // USER_HZ on Linux
const statFields = (file) => fs.readFileSync(file, 'utf8').split(') ')[1].split(' ');
/** CPU seconds (user + system) a process has used so far. */
export const cpuSeconds = (pid) => {
  const f = statFields(`/proc/${pid}/stat`);
  return (Number(f[11]) + Number(f[12])) / TICKS;
};
/** CPU seconds per thread of a process so far: [{tid, name, seconds}] (threads that ended are gone). */
export function threadCpu(pid) {
  const out = [];
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const f = statFields(`/proc/${pid}/task/${tid}/stat`);
      out.push({ tid, name, seconds: (Number(f[11]) + Number(f[12])) / TICKS });
    } catch {
      /* the thread ended while being read */
    }
  }
  return out;
}
export const rssMb = (pid) => {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
};
export const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
