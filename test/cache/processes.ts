import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '@tracefleet/testing';
import { REPO_ROOT } from '../helpers/corpus.js';

export interface ApiProc {
  baseUrl: string;
  cacheDir: string;
  logs: string[];
  stop(): Promise<void>;
}

/** One more API process from the build, beside the fleet's own (same Redis, its own or a given CACHE_DIR). */
export async function startApi(
  env: Record<string, string>,
  opts: { cacheDir?: string; waitReady?: boolean } = {},
): Promise<ApiProc> {
  const port = await freePort();
  const cacheDir = opts.cacheDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cache-api-'));
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/api/dist/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stdout!.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const probe = opts.waitReady === false ? '/health' : '/ready';
  await waitFor(async () => (await fetch(baseUrl + probe).catch(() => undefined))?.ok, {
    timeoutMs: 30_000,
    what: `${baseUrl}${probe}`,
  });
  return {
    baseUrl,
    cacheDir,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export const TOKEN = 'cache-test-admin-token-0123456789abcdef';

export async function convert(
  baseUrl: string,
  bytes: Buffer,
): Promise<{ status: number; cache: string | null; jobId: string | null; body: string }> {
  const res = await fetch(`${baseUrl}/v1/convert`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: bytes,
  });
  return {
    status: res.status,
    cache: res.headers.get('x-cache'),
    jobId: res.headers.get('x-job-id'),
    body: await res.text(),
  };
}

export async function admin(
  baseUrl: string,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(baseUrl + route, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

/** Sum of a counter over a Prometheus text page, for the series whose labels contain `match`. */
export async function counter(url: string, name: string, match: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name + '{') && l.includes(match))
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Conversions the pipeline ran (cache misses) on these workers so far, from their /metrics. */
export async function pipelineRuns(workers: ReadonlyArray<{ port: number }>): Promise<number> {
  let n = 0;
  for (const w of workers)
    n += await counter(`http://127.0.0.1:${w.port}/metrics`, 'tracefleet_conversions_total', 'cache="miss"');
  return n;
}
