// pnpm bench:load — load benchmark of the fleet from the build (run `pnpm build` first).
//
// 1. Mixed load: autocannon on POST /v1/convert for BENCH_SECONDS (default 60) against the API and two
//    workers: 90 % repeats of popular corpus logos (warmed first), 10 % new logos (a corpus logo
//    with a unique tEXt chunk: new bytes, so a real cache miss and a real conversion). Prints hit and
//    miss p50/p99, req/s, jobs/s, errors and the RSS of every process.
// 2. Scaling: the same batch of new logos converted by one worker, then by two (each worker one
//    pipeline thread), jobs/s and the ratio.
//
//    Then BENCH_HIT_SECONDS (10) of cache hits only: what the API alone sustains. At the end, the
//    Redis memory the run left (INFO used_memory, by kind of key) and per 1,000 conversions.
// Env: BENCH_PHASES (load,scaling), BENCH_SECONDS, BENCH_CONNECTIONS (16), BENCH_POPULAR (30), BENCH_SCALE_JOBS (120), BENCH_HIT_SECONDS.
import os from 'node:os';
import autocannon from 'autocannon';
import { cpuSeconds, logos, pct, rssMb, sleep, startFleet, variant } from './lib/fleet.mjs';
import { mb, memoryByKind, usedMemory } from './lib/redis-memory.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const POPULAR = Number(process.env.BENCH_POPULAR ?? 30);
const SCALE_JOBS = Number(process.env.BENCH_SCALE_JOBS ?? 120);
const HIT_SECONDS = Number(process.env.BENCH_HIT_SECONDS ?? 10);

const popular = logos.slice(0, POPULAR);
let nonce = 0;
const newLogo = () => variant(logos[nonce % logos.length], `${process.pid}-${Date.now()}-${nonce++}`);

async function conversions(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let miss = 0;
  for (const line of text.split('\n'))
    if (
      line.startsWith('tracefleet_conversions_total{') &&
      line.includes('cache="miss"') &&
      line.includes('outcome="ok"')
    )
      miss += Number(line.split(' ').pop());
  return miss;
}
const post = (base, body) =>
  fetch(`${base}/v1/convert`, { method: 'POST', headers: { 'content-type': 'image/png' }, body });
// ---- 1. mixed load --------------------------------------------------------------------------------
async function mixedLoad() {
  const fleet = await startFleet(2, 'tfbench');
  const redisAtStart = usedMemory(fleet.redis.port);
  console.log(`warming ${popular.length} popular logos…`);
  await Promise.all(
    popular.map(async (b, i) => {
      await sleep(i * 20);
      const r = await post(fleet.base, b);
      if (r.status !== 200) throw new Error(`warm: ${r.status}`);
      await r.arrayBuffer();
    }),
  );
  const before = await Promise.all(fleet.workers.map((w) => conversions(w.port)));
  const lat = { hit: [], miss: [] };
  const statuses = new Map();
  let pick = 0;
  console.log(`autocannon: ${SECONDS} s, ${CONNECTIONS} connections, 90 % popular / 10 % new…`);
  const started = Date.now();
  const result = await autocannon({
    url: `${fleet.base}/v1/convert`,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 120,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, ctx) => {
          // Deterministic 9:1 mix; popular picks follow a rough power law (a few logos dominate).
          const n = pick++;
          const body = n % 10 === 9 ? newLogo() : popular[Math.floor(popular.length * ((n % 97) / 97) ** 2)];
          ctx.t0 = performance.now();
          return { ...req, headers: { 'content-type': 'image/png' }, body };
        },
        onResponse: (status, _body, ctx, headers) => {
          const ms = performance.now() - ctx.t0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status !== 200) return;
          (headers['x-cache'] === 'miss' ? lat.miss : lat.hit).push(ms);
        },
      },
    ],
  });
  const elapsed = (Date.now() - started) / 1000;
  const after = await Promise.all(fleet.workers.map((w) => conversions(w.port)));
  const jobs = after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0);
  // Hits only: what the API alone sustains when the queue is not involved.
  console.log(`autocannon: ${HIT_SECONDS} s of cache hits only…`);
  let h = 0;
  const hitsOnly = await autocannon({
    url: `${fleet.base}/v1/convert`,
    connections: CONNECTIONS,
    duration: HIT_SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': 'image/png' },
          body: popular[h++ % popular.length],
        }),
      },
    ],
  });
  const mem = { api: rssMb(fleet.api.pid), workers: fleet.workers.map((w) => rssMb(w.child.pid)) };
  // Jobs still finishing would be counted half: let the queue drain first.
  await sleep(2000);
  const totalJobs = (await Promise.all(fleet.workers.map((w) => conversions(w.port)))).reduce((a, b) => a + b, 0);
  const redisMem = {
    used: usedMemory(fleet.redis.port),
    atStart: redisAtStart,
    byKind: memoryByKind(fleet.redis.port, 'tfbench'),
    jobs: totalJobs,
  };
  await fleet.stop();
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    seconds: elapsed,
    requests: result.requests.total,
    reqPerSec: result.requests.total / elapsed,
    hit: { n: lat.hit.length, p50: pct(lat.hit, 50), p99: pct(lat.hit, 99) },
    miss: { n: lat.miss.length, p50: pct(lat.miss, 50), p99: pct(lat.miss, 99) },
    jobsPerSec: jobs / elapsed,
    errors: errors + hitsOnly.errors + hitsOnly.timeouts + hitsOnly.non2xx,
    statuses: Object.fromEntries(statuses),
    hitsOnly: { reqPerSec: hitsOnly.requests.average, p50: hitsOnly.latency.p50, p99: hitsOnly.latency.p99 },
    mem,
    redisMem,
  };
}

// ---- 2. one vs two workers ------------------------------------------------------------------------
async function scaling(workers) {
  // The batch is queued before any worker exists, so the API's intake rate cannot cap the workers.
  const fleet = await startFleet(0, `tfscale${workers}`);
  // The same logos in the same order for every run (only the nonce differs, so nothing is cached).
  const images = Array.from({ length: SCALE_JOBS }, (_, i) =>
    variant(logos[i % logos.length], `scale-${workers}-${process.pid}-${i}`),
  );
  const form = new FormData();
  images.forEach((b, i) => form.append('file', new Blob([b], { type: 'image/png' }), `l${i}.png`));
  const ti = performance.now();
  const res = await fetch(`${fleet.base}/v1/batches`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`batch: ${res.status} ${await res.text()}`);
  const intakePerSec = SCALE_JOBS / ((performance.now() - ti) / 1000);
  const { id } = await res.json();
  // From the workers' spawn to the last job (process start and thread warm-up included, equally for both).
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, () => fleet.addWorker()));
  let view;
  for (;;) {
    view = await (await fetch(`${fleet.base}/v1/batches/${id}`)).json();
    if (view.done) break;
    await sleep(200);
  }
  const seconds = (performance.now() - t0) / 1000;
  const perWorker = await Promise.all(fleet.workers.map((w) => conversions(w.port)));
  // CPU used per wall second by each worker: ≈ 1.0 means one core's worth (its one pipeline thread busy).
  const cores = fleet.workers.map((w) => (cpuSeconds(w.child.pid) / seconds).toFixed(2));
  console.log(
    `${workers} worker(s): ${SCALE_JOBS} jobs in ${seconds.toFixed(1)} s, conversions per worker ${perWorker.join(' + ')}, CPU cores used per worker ${cores.join(' + ')}, load average ${os.loadavg()[0].toFixed(1)}`,
  );
  await fleet.stop();
  if ((view.counts.completed ?? 0) !== SCALE_JOBS) throw new Error(`scaling: ${JSON.stringify(view.counts)}`);
  return { workers, seconds, jobsPerSec: SCALE_JOBS / seconds, intakePerSec };
}

const PHASES = (process.env.BENCH_PHASES ?? 'load,scaling').split(',');
const load = PHASES.includes('load') ? await mixedLoad() : undefined;
const one = PHASES.includes('scaling') ? await scaling(1) : undefined;
const two = PHASES.includes('scaling') ? await scaling(2) : undefined;

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
if (load)
  console.log(`
## load: ${os.cpus().length} cores (${os.cpus()[0]?.model?.trim()}), load average at the end ${os.loadavg()[0].toFixed(1)}, ${f(load.seconds, 0)} s, ${CONNECTIONS} connections, 90 % repeats / 10 % new

| measure | value |
|---|---|
| requests | ${load.requests} (${f(load.reqPerSec)} req/s) |
| cache hits: p50 / p99 | ${f(load.hit.p50)} ms / ${f(load.hit.p99)} ms (${load.hit.n} responses) |
| misses (conversion): p50 / p99 | ${f(load.miss.p50)} ms / ${f(load.miss.p99)} ms (${load.miss.n} responses) |
| conversions (jobs/s) | ${f(load.jobsPerSec, 2)} |
| hits only (${HIT_SECONDS} s): req/s, p50 / p99 | ${f(load.hitsOnly.reqPerSec, 0)} req/s, ${f(load.hitsOnly.p50)} ms / ${f(load.hitsOnly.p99)} ms |
| errors (non-2xx, timeouts, socket) | ${load.errors} ${JSON.stringify(load.statuses)} |
| API RSS (peak) | ${load.mem.api.rss} MB (${load.mem.api.peak} MB) |
| worker RSS (peak) | ${load.mem.workers.map((m) => `${m.rss} MB (${m.peak} MB)`).join(', ')} |

Redis memory at the end: ${mb(load.redisMem.used)} MB used (${mb(load.redisMem.atStart)} MB at start) after ${load.redisMem.jobs} conversions = **${mb(((load.redisMem.used - load.redisMem.atStart) / Math.max(1, load.redisMem.jobs)) * 1000)} MB per 1,000 conversions**

| kind of key | MB |
|---|---|
${Object.entries(load.redisMem.byKind)
  .sort((a, b) => b[1] - a[1])
  .map(([k, v]) => `| ${k} | ${mb(v)} |`)
  .join('\n')}
`);
if (one && two)
  console.log(`
## scaling: the same ${SCALE_JOBS} new logos, workers with 1 pipeline thread each

| workers | seconds | jobs/s |
|---|---|---|
| 1 | ${f(one.seconds)} | ${f(one.jobsPerSec, 2)} |
| 2 | ${f(two.seconds)} | ${f(two.jobsPerSec, 2)} |

(batch intake by the API, before the workers start: ${f(one.intakePerSec, 0)} and ${f(two.intakePerSec, 0)} files/s)

two / one = **${f(two.jobsPerSec / one.jobsPerSec, 2)}×** (target ≥ 1.8× on 2 cores; load average now ${os.loadavg()[0].toFixed(1)})
`);
if (load && load.errors > 0) {
  console.error(`FAIL: ${load.errors} errors under load`);
  process.exitCode = 1;
}
process.exit();
