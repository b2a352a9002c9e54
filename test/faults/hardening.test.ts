import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { hashBytes } from '@tracefleet/contract';
import { waitFor } from '@tracefleet/testing';
import { startFleet, type Fleet } from '../helpers/fleet.js';
import { redisCli, scanKeys, submitBatch } from '../helpers/batch.js';
import { syntheticLogo } from '../helpers/synthetic.js';

const ALICE = 'alice-secret-key-0123456789';
const BOB = 'bob-secret-key-9876543210abc';
const CAROL = 'carol-secret-key-5555555555';
const TOKEN = 'hardening-admin-token-0123456789abcdef';
const PREFIX = 'tfe2e';
const MAXMEMORY = 24 * 1024 * 1024;
const BUDGET = 150_000;

/**
 * A unique PNG of about 70 KB that still traces quickly: a red square on white with faint noise
 * (the noise defeats PNG compression; colour quantisation absorbs it).
 */
function noisePng(seed: number): Promise<Buffer> {
  const side = 200;
  const px = Buffer.alloc(side * side * 3);
  let x = seed + 1;
  for (let i = 0; i < px.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const p = Math.floor(i / 3);
    const inSquare = p % side > 50 && p % side < 150 && p / side > 50 && p / side < 150;
    const base = inSquare && i % 3 !== 0 ? 40 : 235;
    px[i] = base + (x >>> 28);
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * The findings of the outsider review (issue 12), one test each, against one fleet: a Redis with a
 * small maxmemory, three API keys (tenants), an admin token, TRUST_PROXY for per-client limits.
 */
describe('hardening', () => {
  let fleet: Fleet;
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const post = (path: string, body: Buffer, headers: Record<string, string>) =>
    fetch(`${fleet.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', ...headers },
      body: new Uint8Array(body),
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${fleet.baseUrl}${path}`, { headers, redirect: 'manual' });
  /** Job hashes (`<prefix>:convert:<id>`), not their lock/log keys. */
  const jobKeys = (pattern: string) => scanKeys(fleet, pattern).filter((k) => k.split(':').length === 3);
  const usedMemory = () => Number(/used_memory:(\d+)/.exec(redisCli(fleet, 'info', 'memory'))![1]);

  beforeAll(async () => {
    fleet = await startFleet({
      // No worker yet: the first test needs uploads that stay pending.
      workers: 0,
      env: {
        API_KEYS: `alice:${ALICE},bob:${BOB},carol:${CAROL}:5`,
        RATE_LIMIT_MAX: '1000',
        ADMIN_TOKEN: TOKEN,
        TRUST_PROXY: '127.0.0.1',
        UPLOAD_BUDGET_BYTES: String(BUDGET),
        REQUEST_TIMEOUT_MS: '2000',
        // Request ids reach the log lines of refused requests (info).
        LOG_LEVEL: 'info',
      },
    });
    redisCli(fleet, 'config', 'set', 'maxmemory', String(MAXMEMORY));
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('refuses uploads past the pending budget before Redis is full, and deletes them once converted', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 12; i++) {
      const r = await post('/v1/jobs', await noisePng(i), auth(ALICE));
      statuses.push(r.status);
      if (r.status !== 202) refused ??= r;
      else await r.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(2);
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBeTruthy();
    expect((await refused!.json()).error.code).toBe('UPLOAD_BUDGET_EXCEEDED');
    expect(Number(redisCli(fleet, 'get', `${PREFIX}:uploads:total`))).toBeLessThanOrEqual(BUDGET);
    // Redis itself still takes writes: the API is ready.
    expect((await get('/ready')).status).toBe(200);

    await fleet.startWorker();
    await waitFor(() => scanKeys(fleet, `${PREFIX}:upload:*`).length === 0, {
      timeoutMs: 120_000,
      what: 'uploads deleted after their jobs',
    });
    expect(redisCli(fleet, 'get', `${PREFIX}:uploads:total`)).toBe('0');
    expect(scanKeys(fleet, `${PREFIX}:img:*`)).toEqual([]);
    expect((await post('/v1/jobs', await noisePng(100), auth(ALICE))).status).toBe(202);
  });

  it('reports a Redis that refuses writes (OOM) as not ready', async () => {
    redisCli(fleet, 'config', 'set', 'maxmemory', String(Math.floor(usedMemory() / 2)));
    try {
      const r = await get('/ready');
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ redis: true, writable: false });
    } finally {
      redisCli(fleet, 'config', 'set', 'maxmemory', String(MAXMEMORY));
    }
    expect((await get('/ready')).status).toBe(200);
  });

  it('isolates tenants: random job ids, 404 for another key, one shared conversion underneath', async () => {
    const img = await syntheticLogo(12_001);
    const a = await post('/v1/convert', img, auth(ALICE));
    expect(a.status).toBe(200);
    const aliceId = a.headers.get('x-job-id')!;
    expect(aliceId).toMatch(/^t-[A-Za-z0-9_-]{22}$/);
    expect(aliceId).not.toContain(hashBytes(img));
    await a.text();
    expect((await get(`/v1/jobs/${aliceId}`, auth(ALICE))).status).toBe(200);
    expect((await get(`/v1/jobs/${aliceId}/svg`, auth(ALICE))).status).toBe(200);
    expect((await get(`/v1/jobs/${aliceId}`, auth(BOB))).status).toBe(404);
    expect((await get(`/v1/jobs/${aliceId}/svg`, auth(BOB))).status).toBe(404);
    // The content-derived id is no oracle either.
    const contentId = (await get(`/v1/jobs/${aliceId}`, auth(ALICE)).then((r) => r.json())).result.svgUrl;
    expect(contentId).toContain(aliceId);
    const [queueJob] = jobKeys(`${PREFIX}:convert:v*${hashBytes(img)}*`);
    const queueJobId = queueJob.slice(`${PREFIX}:convert:`.length);
    expect((await get(`/v1/jobs/${queueJobId}`, auth(BOB))).status).toBe(404);
    expect((await get(`/v1/jobs/${queueJobId}/svg`, auth(ALICE))).status).toBe(404);
    // Bob's identical image is answered from the shared cache, under his own id.
    const b = await post('/v1/convert', img, auth(BOB));
    expect(b.headers.get('x-cache')).toMatch(/^hit-/);
    expect(b.headers.get('x-job-id')).not.toBe(aliceId);
    await b.text();

    const batch = await (await submitBatch(fleet, [img], auth(ALICE))).json();
    expect((await get(`/v1/batches/${batch.id}`, auth(ALICE))).status).toBe(200);
    expect((await get(`/v1/batches/${batch.id}`, auth(BOB))).status).toBe(404);
  });

  it('counts conversions, not requests: a batch of 3 counts 3', async () => {
    const imgs = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => syntheticLogo(12_100 + i)));
    const first = await (await submitBatch(fleet, imgs.slice(0, 3), auth(CAROL))).json();
    expect(first.jobs.every((j: { id?: string }) => j.id)).toBe(true);
    const second = await submitBatch(fleet, imgs.slice(3), auth(CAROL));
    expect(second.status).toBe(202);
    const codes = (await second.json()).jobs.map((j: { error?: { code: string } }) => j.error?.code);
    expect(codes).toEqual([undefined, undefined, 'RATE_LIMITED']);
    const r = await post('/v1/convert', imgs[0], auth(CAROL));
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await r.json()).error.code).toBe('RATE_LIMITED');
  });

  it('purge means gone: a purged result is not served for its job', async () => {
    const img = await syntheticLogo(12_200);
    const r = await post('/v1/convert', img, auth(BOB));
    expect(r.status).toBe(200);
    const id = r.headers.get('x-job-id')!;
    await r.text();
    expect((await get(`/v1/jobs/${id}/svg`, auth(BOB))).status).toBe(200);
    const purge = await fetch(`${fleet.baseUrl}/admin/cache/purge`, {
      method: 'POST',
      headers: { ...auth(TOKEN), 'content-type': 'application/json' },
      body: JSON.stringify({ all: true }),
    });
    expect(purge.status).toBe(200);
    const svg = await get(`/v1/jobs/${id}/svg`, auth(BOB));
    expect(svg.status).toBe(404);
    expect((await get(`/v1/jobs/${id}`, auth(BOB)).then((v) => v.json())).result).toBeUndefined();
  });

  const login = (headers: Record<string, string> = {}, token = TOKEN) =>
    fetch(`${fleet.baseUrl}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ token }),
    });

  it('admin sessions: a random id (never the token), Secure behind TLS, revoked by logout', async () => {
    const res = await login();
    expect(res.status).toBe(204);
    const setCookie = res.headers.get('set-cookie')!;
    const cookie = setCookie.split(';')[0];
    expect(cookie).toMatch(/^tf_admin=[A-Za-z0-9_-]{43}$/);
    expect(setCookie).not.toContain(encodeURIComponent(TOKEN));
    expect(setCookie).not.toMatch(/Secure/);
    expect((await get('/admin/api/dashboard', { cookie })).status).toBe(200);
    const tls = await login({ 'x-forwarded-proto': 'https' });
    expect(tls.headers.get('set-cookie')).toMatch(/; Secure/);

    const out = await fetch(`${fleet.baseUrl}/admin/logout`, {
      method: 'POST',
      headers: { cookie, origin: fleet.baseUrl },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect((await get('/admin/api/dashboard', { cookie })).status).toBe(401);
  });

  it('slows and then refuses admin token guessing per client, without locking out others', async () => {
    const guesser = { 'x-forwarded-for': '198.51.100.7' };
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => get('/admin/cache/stats', { ...guesser, ...auth(`guess-${i}`) })),
    );
    // Concurrent guesses are all counted; the last ones may already meet the limit.
    expect(guesses.every((g) => g.status === 401 || g.status === 429)).toBe(true);
    expect(guesses.filter((g) => g.status === 401).length).toBeGreaterThanOrEqual(10);
    const locked = await get('/admin/cache/stats', { ...guesser, ...auth(TOKEN) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(guesser)).status).toBe(429);
    expect((await get('/admin/cache/stats', { 'x-forwarded-for': '198.51.100.8', ...auth(TOKEN) })).status).toBe(200);
  });

  it('refuses cross-site state changes made with the session cookie (Bull Board included)', async () => {
    const cookie = (await login()).headers.get('set-cookie')!.split(';')[0];
    const addJob = (headers: Record<string, string>) => {
      const form = new FormData();
      form.append('name', 'csrf');
      form.append('data', '{}');
      return fetch(`${fleet.baseUrl}/admin/queues/api/queues/convert/add`, {
        method: 'POST',
        headers: { cookie, ...headers },
        body: form,
      });
    };
    const jobsBefore = scanKeys(fleet, `${PREFIX}:convert:[0-9]*`).length;
    for (const headers of [{ origin: 'http://evil.example' }, {}, { 'sec-fetch-site': 'cross-site' }]) {
      const r = await addJob(headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect((await r.json()).error.code).toBe('FORBIDDEN');
    }
    const purge = await fetch(`${fleet.baseUrl}/admin/cache/purge`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ all: true }),
    });
    expect(purge.status).toBe(403);
    expect(scanKeys(fleet, `${PREFIX}:convert:[0-9]*`).length).toBe(jobsBefore);
    // The same request from our own origin passes the check.
    expect((await addJob({ origin: fleet.baseUrl })).status).not.toBe(403);
  });

  it('sends security headers on HTML pages and nosniff + Content-Disposition on SVGs', async () => {
    const cookie = (await login()).headers.get('set-cookie')!.split(';')[0];
    for (const [path, headers] of [
      ['/docs/', {}],
      ['/admin/queues', { cookie }],
      ['/admin/login', {}],
    ] as const) {
      const r = await get(path, headers);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toMatch(/text\/html/);
      expect(r.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const svg = await post('/v1/convert', await syntheticLogo(12_300), auth(ALICE));
    expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(svg.headers.get('x-content-type-options')).toBe('nosniff');
    expect(svg.headers.get('content-disposition')).toMatch(/^attachment; filename="t-[A-Za-z0-9_-]+\.svg"$/);
  });

  it('answers malformed input with 4xx: bad cookie encoding, multipart without boundary', async () => {
    const bad = await get('/admin/api/dashboard', { cookie: 'tf_admin=%E0%A4%A' });
    expect(bad.status).toBe(401);
    for (const path of ['/v1/convert', '/v1/jobs', '/v1/batches']) {
      const r = await fetch(`${fleet.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data', ...auth(ALICE) },
        body: 'x',
      });
      expect(r.status, path).toBe(400);
      expect((await r.json()).error.code).toBe('BAD_REQUEST');
    }
    // An oversized X-Request-Id is replaced, not carried into logs.
    const longId = 'r'.repeat(15_000);
    expect((await get('/v1/jobs/nope', { ...auth(ALICE), 'x-request-id': longId })).status).toBe(404);
    expect(fleet.api.logs.join('')).not.toContain(longId.slice(0, 200));
  });

  it('closes a connection whose request never completes (REQUEST_TIMEOUT_MS)', async () => {
    const port = Number(new URL(fleet.baseUrl).port);
    const closed = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('POST /v1/jobs HTTP/1.1\r\nHost: x\r\n'));
      let answer = '';
      s.on('data', (d) => (answer += d.toString()));
      s.on('close', () => resolve(answer));
      s.on('error', () => undefined);
      // Node checks request timeouts every 30 s (connectionsCheckingInterval).
      setTimeout(() => resolve('still open'), 45_000).unref();
    });
    expect(closed).not.toBe('still open');
  });
});
