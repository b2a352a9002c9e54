// pnpm bench:cpu — CPU per cold conversion in a worker, by thread, in steady state (run `pnpm build` first).
//
// One worker (one pipeline thread, WORKER_CONCURRENCY 2) converts BENCH_CPU_WARMUP new logos (JIT and
// caches warm up), then BENCH_CPU_JOBS more while the CPU of each of its threads is read from
// /proc/<pid>/task/*/stat before and after. Every logo is a corpus logo made new by a unique PNG chunk:
// a real cache miss and a real conversion each time. Prints CPU ms per job by thread group (pipeline,
// main, libuv/libvips, V8 compiler/GC, other) and redis-server's, jobs per core-second, and the pipeline's
// own stage timings (from the worker's metrics) over the same jobs.
// The warm-up is long because V8 takes that long: in one process, CPU per corpus logo falls over the
// first four or five passes of the 90 logos (67–69 → 44–46 → 43–47 → 34–37 → 31–38 ms, two runs)
// while TurboFan keeps compiling (2.4–2.5 s of compile in the first pass, 0.5–1.1 s in the second and
// third, 0.1–0.3 s from the fourth); after 100–150 warm-up jobs the worker total read 45–49 ms, after
// 500 38–43 ms on the same build.
// Env: BENCH_CPU_WARMUP (450), BENCH_CPU_JOBS (400), BENCH_CPU_INFLIGHT (4).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { logos, startFleet, threadCpu, variant } from './lib/fleet.mjs';

const WARMUP = Number(process.env.BENCH_CPU_WARMUP ?? 450);
const JOBS = Number(process.env.BENCH_CPU_JOBS ?? 400);
const INFLIGHT = Number(process.env.BENCH_CPU_INFLIGHT ?? 4);

/**
 * Node 20 names all its threads `node`, so groups are told apart by role: the main thread has the
 * process id; V8's platform threads (compiler, GC) are the first four started after it; the pipeline
 * (piscina) thread is the busiest of the rest; libvips names its own threads; what remains is mostly
 * libuv's pool (sharp's async calls run there).
 */
function classify(threads, pid) {
  const byTid = [...threads].sort((a, b) => Number(a.tid) - Number(b.tid));
  const v8 = new Set(
    byTid
      .filter((t) => String(t.tid) !== String(pid) && t.name === 'node')
      .slice(0, 4)
      .map((t) => t.tid),
  );
  const rest = threads.filter((t) => String(t.tid) !== String(pid) && !v8.has(t.tid) && t.name === 'node');
  const pipeline = rest.sort((a, b) => b.seconds - a.seconds)[0]?.tid;
  return (t) => {
    if (String(t.tid) === String(pid)) return 'main';
    if (t.tid === pipeline) return 'pipeline';
    if (v8.has(t.tid)) return 'v8';
    if (/vips/i.test(t.name)) return 'libvips';
    if (t.name === 'node') return 'libuv';
    return 'other';
  };
}

async function convertAll(base, n, tag) {
  let next = 0;
  let failed = 0;
  const one = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const body = variant(logos[i % logos.length], `cpu-${tag}-${process.pid}-${Date.now()}-${i}`);
      const res = await fetch(`${base}/v1/convert?wait=120`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, one));
  if (failed) throw new Error(`${failed} of ${n} conversions failed`);
}

/** Sum and count of each pipeline stage's duration histogram, from the worker's /metrics. */
async function stageTotals(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^tracefleet_pipeline_stage_duration_seconds_(sum|count)\{[^}]*stage="([^"]+)"[^}]*\} (\S+)/.exec(line);
    if (!m) continue;
    out[m[2]] ??= { sum: 0, count: 0 };
    out[m[2]][m[1]] += Number(m[3]);
  }
  return out;
}

const redisCpu = (port) => {
  const info = execFileSync('redis-cli', ['-p', String(port), 'info', 'cpu'], { encoding: 'utf8' });
  const v = (k) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return v('used_cpu_sys') + v('used_cpu_user');
};

const fleet = await startFleet(1, 'tfcpu');
const worker = fleet.workers[0];
const pid = worker.child.pid;
console.log(`warm-up: ${WARMUP} new logos…`);
await convertAll(fleet.base, WARMUP, 'warm');

const before = threadCpu(pid);
const stagesBefore = await stageTotals(worker.port);
const redisBefore = redisCpu(fleet.redis.port);
console.log(`measuring: ${JOBS} new logos, ${INFLIGHT} in flight…`);
const t0 = performance.now();
await convertAll(fleet.base, JOBS, 'measure');
const wall = (performance.now() - t0) / 1000;
const after = threadCpu(pid);
const stagesAfter = await stageTotals(worker.port);
const redisAfter = redisCpu(fleet.redis.port);
await fleet.stop();

const start = new Map(before.map((t) => [t.tid, t.seconds]));
const deltas = after.map((t) => ({ ...t, seconds: t.seconds - (start.get(t.tid) ?? 0) }));
const groupOf = classify(deltas, pid);
const groups = {};
for (const t of deltas) {
  const g = groupOf(t);
  groups[g] = (groups[g] ?? 0) + t.seconds;
}
const total = Object.values(groups).reduce((a, b) => a + b, 0);
const ms = (s) => ((s * 1000) / JOBS).toFixed(1);
const LABELS = {
  pipeline: 'pipeline thread',
  main: 'main thread',
  libuv: 'libuv pool (sharp) and other node threads',
  libvips: 'libvips workers',
  v8: 'V8 platform (compiler, GC)',
  other: 'other named threads',
};
const rows = ['pipeline', 'main', 'libuv', 'libvips', 'v8', 'other']
  .filter((g) => groups[g] !== undefined)
  .map((g) => `| ${LABELS[g]} | ${ms(groups[g])} | ${((groups[g] / total) * 100).toFixed(0)} % |`);
const stageRows = Object.entries(stagesAfter)
  .map(([stage, a]) => {
    const b = stagesBefore[stage] ?? { sum: 0, count: 0 };
    const n = a.count - b.count;
    return n > 0 ? `| ${stage} | ${(((a.sum - b.sum) * 1000) / n).toFixed(1)} |` : undefined;
  })
  .filter(Boolean);

console.log(`
## cpu: one worker (1 pipeline thread), ${JOBS} cold jobs after ${WARMUP} warm-up, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}

| thread group | CPU ms per job | share |
|---|---|---|
${rows.join('\n')}
| **worker total** | **${ms(total)}** | |
| redis-server | ${ms(redisAfter - redisBefore)} | |

jobs per core-second (worker): **${(JOBS / total).toFixed(1)}**; wall ${wall.toFixed(1)} s (${(JOBS / wall).toFixed(1)} jobs/s)

pipeline's own timings (mean ms per job, from tracefleet_pipeline_stage_duration_seconds):

| stage | ms |
|---|---|
${stageRows.join('\n')}
`);
process.exit();
