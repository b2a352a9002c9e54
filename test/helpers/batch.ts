import { execFileSync } from 'node:child_process';
import type { Fleet } from './fleet.js';

/** POST /v1/batches with one multipart file part per image. */
export async function submitBatch(
  fleet: Fleet,
  images: Buffer[],
  headers: Record<string, string> = {},
  query = '',
): Promise<Response> {
  const form = new FormData();
  images.forEach((b, i) => form.append('file', new Blob([new Uint8Array(b)], { type: 'image/png' }), `img-${i}.png`));
  return fetch(`${fleet.baseUrl}/v1/batches${query}`, { method: 'POST', body: form, headers });
}

export interface BatchStatus {
  id: string;
  total: number;
  counts: Record<string, number>;
  done: boolean;
  jobs: Array<{
    file: string;
    id?: string;
    state?: string;
    error?: { code: string; message: string };
    result?: { cache: string };
  }>;
}

export async function batchStatus(
  fleet: Fleet,
  id: string,
  headers: Record<string, string> = {},
): Promise<BatchStatus> {
  const res = await fetch(`${fleet.baseUrl}/v1/batches/${id}`, { headers });
  if (res.status !== 200) throw new Error(`GET batch: ${res.status} ${await res.text()}`);
  return res.json() as Promise<BatchStatus>;
}

/** Polls the batch until every job completed or failed. */
export async function waitBatch(
  fleet: Fleet,
  id: string,
  timeoutMs: number,
  onPoll?: (s: BatchStatus) => void,
): Promise<BatchStatus> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await batchStatus(fleet, id).catch(() => undefined);
    if (s) onPoll?.(s);
    if (s?.done) return s;
    if (Date.now() > end) throw new Error(`batch ${id} not done after ${timeoutMs} ms: ${JSON.stringify(s?.counts)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** redis-cli against the fleet's server (the tests need no Redis client library). */
export function redisCli(fleet: Fleet, ...args: string[]): string {
  const password = decodeURIComponent(new URL(fleet.redis.url).password);
  const auth = password ? ['-a', password, '--no-auth-warning'] : [];
  return execFileSync('redis-cli', ['-p', String(fleet.redis.port), ...auth, ...args], { encoding: 'utf8' }).trim();
}

/** Keys matching a pattern (SCAN, not KEYS). */
export function scanKeys(fleet: Fleet, pattern: string): string[] {
  const out = redisCli(fleet, '--scan', '--pattern', pattern);
  return out ? out.split('\n') : [];
}

/** Sum of a Prometheus counter's samples on a worker's /metrics. */
export async function counterSum(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name + '{') || line.startsWith(name + ' ')) sum += Number(line.split(' ').pop());
  return sum;
}
