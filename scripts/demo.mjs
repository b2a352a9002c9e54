// The demo fleet: redis-server (started when none answers), the API and two workers from the
// build, the sample logos (and a dozen corpus logos when ../shared is there) converted over HTTP.
// `--exit` stops after converting (used by the test that checks this script).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const state = path.join(root, '.tracefleet');
const outDir = path.join(state, 'demo-out');
const exitAfter = process.argv.includes('--exit') || process.env.DEMO_EXIT === '1';
fs.mkdirSync(outDir, { recursive: true });

const children = [];
const stopAll = () => {
  for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
};
process.on('SIGINT', () => {
  stopAll();
  setTimeout(() => process.exit(0), 1500);
});
process.on('SIGTERM', () => {
  stopAll();
  setTimeout(() => process.exit(0), 1500);
});

const portOpen = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitReady(url, what) {
  for (let i = 0; i < 150; i++) {
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    await sleep(200);
  }
  throw new Error(`${what} did not become ready at ${url}; see ${state}/*.log`);
}
function launch(name, args, env) {
  const log = fs.openSync(path.join(state, `${name}.log`), 'w');
  const c = spawn(args[0], args.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  children.push(c);
  return c;
}

let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  const port = Number(process.env.DEMO_REDIS_PORT ?? 6379);
  if (await portOpen(port)) {
    console.log(`› using the Redis already listening on 127.0.0.1:${port}`);
  } else {
    fs.mkdirSync(path.join(state, 'redis'), { recursive: true });
    launch(
      'redis',
      [
        'redis-server',
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        path.join(state, 'redis'),
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--maxmemory-policy',
        'noeviction',
      ],
      {},
    );
    for (let i = 0; i < 50 && !(await portOpen(port)); i++) await sleep(100);
    console.log(`› started redis-server on 127.0.0.1:${port} (AOF, noeviction; data in .tracefleet/redis)`);
  }
  redisUrl = `redis://127.0.0.1:${port}`;
}

const apiPort = Number(process.env.PORT ?? ((await portOpen(3000)) ? await freePort() : 3000));
const env = {
  REDIS_URL: redisUrl,
  CACHE_DIR: path.join(state, 'cache'),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  ADMIN_TOKEN: process.env.ADMIN_TOKEN ?? 'demo-admin-token-change-me-0123456789',
};
// The OpenTelemetry preload is inert unless OTEL_* variables turn tracing on.
const preload = ['--import', path.join(root, 'packages/telemetry/dist/register.js')];
launch('api', [process.execPath, ...preload, 'apps/api/dist/main.js'], {
  ...env,
  PORT: String(apiPort),
  HOST: '127.0.0.1',
});
const workerPorts = [await freePort(), await freePort()];
workerPorts.forEach((p, i) =>
  launch(`worker-${i + 1}`, [process.execPath, ...preload, 'apps/worker/dist/main.js'], {
    ...env,
    METRICS_PORT: String(p),
    CACHE_DIR: path.join(state, `cache-worker-${i + 1}`),
  }),
);
const base = `http://127.0.0.1:${apiPort}`;
await waitReady(`${base}/ready`, 'the API');
for (const p of workerPorts) await waitReady(`http://127.0.0.1:${p}/ready`, 'a worker');
console.log(`› API on ${base}, 2 workers (metrics on ports ${workerPorts.join(', ')})`);

const samples = fs
  .readdirSync(path.join(root, 'samples'))
  .filter((f) => f.endsWith('.png'))
  .map((f) => path.join(root, 'samples', f));
const corpus = path.resolve(root, '../shared/corpus');
if (fs.existsSync(corpus))
  samples.push(
    ...fs
      .readdirSync(corpus)
      .filter((f) => f.endsWith('.png'))
      .filter((_, i) => i % 8 === 0)
      .map((f) => path.join(corpus, f)),
  );

console.log(`› converting ${samples.length} logos through POST /v1/convert\n`);
console.log('logo'.padEnd(34) + 'status  cache       ms    bytes  ssim    job');
for (const file of samples) {
  const t = performance.now();
  const res = await fetch(`${base}/v1/convert`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: fs.readFileSync(file),
  });
  const ms = Math.round(performance.now() - t);
  const body = await res.text();
  const name = path.basename(file, '.png');
  if (res.ok) fs.writeFileSync(path.join(outDir, `${name}.svg`), body);
  console.log(
    `${name.padEnd(34)}${String(res.status).padEnd(8)}${(res.headers.get('x-cache') ?? '-').padEnd(12)}${String(ms).padStart(4)}  ${String(Buffer.byteLength(body)).padStart(6)}  ${(res.headers.get('x-quality-ssim') ?? '-').padEnd(7)} ${(res.headers.get('x-job-id') ?? '').slice(0, 24)}…`,
  );
}
// The same logos again: answered from the cache by the API itself.
const again = [];
for (const file of samples) {
  const t = performance.now();
  const res = await fetch(`${base}/v1/convert`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: fs.readFileSync(file),
  });
  await res.arrayBuffer();
  again.push({ ms: performance.now() - t, cache: res.headers.get('x-cache') });
}
again.sort((a, b) => a.ms - b.ms);
console.log(
  `\n› repeat pass: ${again.filter((a) => a.cache?.startsWith('hit-')).length}/${again.length} cache hits, median ${again[again.length >> 1].ms.toFixed(2)} ms`,
);
console.log(`
Where to look:
  playground           ${base}/   (drop a logo in a browser, compare, tune, download)
  SVGs written to      ${path.relative(process.cwd(), outDir) || outDir}/
  API                  ${base}   (POST /v1/convert, POST /v1/jobs, GET /v1/jobs/:id)
  health / readiness   ${base}/health  ${base}/ready
  metrics              ${base}/metrics   worker: http://127.0.0.1:${workerPorts[0]}/metrics
  dashboard            ${base}/admin/login  (token: ${env.ADMIN_TOKEN}) → /admin/dashboard, Bull Board at /admin/queues
  logs                 .tracefleet/api.log, .tracefleet/worker-1.log, .tracefleet/worker-2.log
  try it               curl -s -H 'content-type: image/png' --data-binary @samples/tracefleet-mark.png ${base}/v1/convert -D -
`);
if (exitAfter) {
  stopAll();
  await sleep(1500);
  process.exit(0);
}
console.log('The fleet keeps running; Ctrl-C stops it.');
