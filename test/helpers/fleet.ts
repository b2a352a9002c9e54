import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startRedis, waitFor, type RedisServer } from '@tracefleet/testing';
import { REPO_ROOT } from './corpus.js';

export interface Proc {
  child: ChildProcess;
  port: number;
  logs: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export interface Fleet extends FleetProcesses {
  redis: RedisServer;
}

/** The fleet's processes, whatever Redis they run on. */
export interface FleetProcesses {
  api: Proc;
  workers: Proc[];
  baseUrl: string;
  env: Record<string, string>;
  startWorker(extraEnv?: Record<string, string>): Promise<Proc>;
  stop(): Promise<void>;
}

function launch(script: string, env: Record<string, string>, port: number): Proc {
  // The same preload as the apps' start scripts: OpenTelemetry when OTEL_* asks for it, nothing otherwise.
  const preload = path.join(REPO_ROOT, 'packages/telemetry/dist/register.js');
  const child = spawn(process.execPath, ['--import', preload, path.join(REPO_ROOT, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const keep = (d: Buffer) => {
    logs.push(d.toString());
    if (logs.length > 500) logs.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, logs, exited };
}

async function ready(url: string): Promise<void> {
  await waitFor(async () => (await fetch(url).catch(() => undefined))?.ok, { timeoutMs: 90_000, what: url });
}

export interface FleetOptions {
  workers?: number;
  /** Environment of the API and every worker. */
  env?: Record<string, string>;
  /** Extra environment of the workers started with the fleet. */
  workerEnv?: Record<string, string>;
  /** Require this password on the Redis server (REDIS_URL then carries it). */
  redisPassword?: string;
  /** A Redis server started by the caller (e.g. with TLS) instead of a fresh plain one; stopped with the fleet. */
  redis?: RedisServer;
}

/** Starts redis-server, the API and N workers from the build, each a real process. */
export async function startFleet(opts: FleetOptions = {}): Promise<Fleet> {
  const redis = opts.redis ?? (await startRedis());
  if (opts.redisPassword) {
    execFileSync('redis-cli', ['-p', String(redis.port), 'config', 'set', 'requirepass', opts.redisPassword]);
    redis.url = `redis://:${encodeURIComponent(opts.redisPassword)}@127.0.0.1:${redis.port}`;
  }
  const fleet = await startFleetOn({ REDIS_URL: redis.url }, opts);
  return {
    ...fleet,
    redis,
    async stop() {
      await fleet.stop();
      await redis.stop();
    },
  };
}

/**
 * The API and N workers on a Redis the caller runs (Sentinel group, cluster…), configured by
 * `redisEnv` (REDIS_SENTINELS…, REDIS_CLUSTER_NODES…, CACHE_REDIS_*). `stop` leaves that Redis up.
 */
export async function startFleetOn(
  redisEnv: Record<string, string>,
  opts: Omit<FleetOptions, 'redis' | 'redisPassword'> = {},
): Promise<FleetProcesses> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-e2e-'));
  const env: Record<string, string> = {
    ...redisEnv,
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: '2',
    PIPELINE_THREADS: '2',
    QUEUE_PREFIX: 'tfe2e',
    ...opts.env,
  };
  const apiPort = await freePort();
  const api = launch(
    'apps/api/dist/main.js',
    { ...env, PORT: String(apiPort), HOST: '127.0.0.1', CACHE_DIR: path.join(dir, 'api-cache') },
    apiPort,
  );
  const workers: Proc[] = [];
  let n = 0;
  const startWorker = async (extraEnv: Record<string, string> = {}) => {
    const port = await freePort();
    const w = launch(
      'apps/worker/dist/main.js',
      { ...env, METRICS_PORT: String(port), CACHE_DIR: path.join(dir, `worker-${n++}-cache`), ...extraEnv },
      port,
    );
    workers.push(w);
    await ready(`http://127.0.0.1:${port}/ready`);
    return w;
  };
  await ready(`http://127.0.0.1:${apiPort}/ready`);
  for (let i = 0; i < (opts.workers ?? 2); i++) await startWorker(opts.workerEnv);
  return {
    api,
    workers,
    env,
    baseUrl: `http://127.0.0.1:${apiPort}`,
    startWorker,
    async stop() {
      for (const p of [api, ...workers]) if (p.child.exitCode === null) p.child.kill('SIGTERM');
      await Promise.race([
        Promise.all([api, ...workers].map((p) => p.exited)),
        new Promise((r) => setTimeout(r, 10_000)),
      ]);
      for (const p of [api, ...workers]) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function alive(p: Proc): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}
