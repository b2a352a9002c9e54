import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { freePort, waitFor } from '@tracefleet/testing';
import { CORPUS, REPO_ROOT, corpusManifest } from '../helpers/corpus.js';
import { startFleet, type Fleet } from '../helpers/fleet.js';

const TOKEN = 'obs-test-admin-token-4f1c-0123456789abcdef';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTEFACTS = path.join(REPO_ROOT, 'test-results');

describe('admin: dashboard, login, Bull Board, alerts (real processes, headless Chromium)', () => {
  let fleet: Fleet;
  let hook: http.Server;
  let second: ReturnType<typeof spawn> | undefined;
  const webhook: Array<{ status: string; alert: { id: string } }> = [];

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        webhook.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    fleet = await startFleet({
      workers: 1,
      env: {
        ADMIN_TOKEN: TOKEN,
        QUEUE_PREFIX: 'tfdash',
        // Each wrong guess below comes from its own client address, under the per-client sign-in limit.
        TRUST_PROXY: '127.0.0.1',
        ALERT_INTERVAL_MS: '1000',
        // Any real cold conversion takes more than 1 ms: the cold p95 alert must fire after a few.
        ALERT_COLD_P95_MS: '1',
        ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as { port: number }).port}/alerts`,
      },
    });
  });
  afterAll(async () => {
    if (second && second.exitCode === null) second.kill('SIGTERM');
    await fleet?.stop();
    hook?.close();
  });

  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${fleet.baseUrl}${p}`, { headers, redirect: 'manual' });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('refuses every admin route without the token, with a wrong token or a wrong cookie', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/admin/dashboard'],
      ['GET', '/admin/dashboard/dashboard.js'],
      ['GET', '/admin/dashboard/charts.js'],
      ['GET', '/admin/api/dashboard'],
      ['GET', '/admin/queues'],
      ['GET', '/admin/queues/'],
      ['GET', '/admin/queues/api/queues'],
      ['GET', '/admin/cache/stats'],
      ['POST', '/admin/cache/purge'],
    ];
    let client = 0;
    for (const [method, p] of routes) {
      for (const creds of [{}, { authorization: 'Bearer nope' }, { cookie: 'tf_admin=nope' }]) {
        const headers = { ...creds, 'x-forwarded-for': `10.0.0.${++client}` };
        const res = await fetch(`${fleet.baseUrl}${p}`, { method, headers, redirect: 'manual' });
        expect(res.status, `${method} ${p} ${JSON.stringify(headers)}`).toBe(401);
        expect((await res.json()).error.code).toBe('UNAUTHORIZED');
      }
    }
    for (const p of ['/admin/dashboard', '/admin/api/dashboard', '/admin/queues/api/queues'])
      expect((await get(p, bearer)).status, p).toBe(200);
    expect((await get('/admin/dashboard/../../package.json', bearer)).status).not.toBe(200);
  });

  it('logs in from a form or JSON: an HttpOnly SameSite=Strict cookie that the guard accepts', async () => {
    const bad = await fetch(`${fleet.baseUrl}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'wrong' }),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const form = await fetch(`${fleet.baseUrl}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}`,
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/admin/dashboard');
    const cookie = form.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tf_admin=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await get('/admin/api/dashboard', { cookie: cookie.split(';')[0] })).status).toBe(200);
  });

  it('shows the fleet in charts after a few conversions, with the alert, in headless Chromium', async () => {
    const logos = corpusManifest()
      .filter((f) => f.width * f.height <= 300_000)
      .slice(0, 6);
    const post = (file: string) =>
      fetch(`${fleet.baseUrl}/v1/convert`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: fs.readFileSync(path.join(CORPUS, file)),
      });
    for (const f of logos) expect((await post(f.file)).status).toBe(200);
    for (let round = 0; round < 3; round++)
      for (const f of logos) expect((await post(f.file)).headers.get('x-cache')).toMatch(/^hit-/);

    // Buckets are flushed to Redis every few seconds by each process.
    let data: any;
    await waitFor(
      async () => {
        data = await (await get('/admin/api/dashboard?minutes=60', bearer)).json();
        const hits = Object.values(data.totals.hits as Record<string, number>).reduce((a, b) => a + b, 0);
        return (
          data.totals.jobsOk >= logos.length &&
          hits >= logos.length * 3 &&
          data.alerts.some((a: any) => a.id === 'ColdP95High')
        );
      },
      { timeoutMs: 30_000, what: 'dashboard data and the cold p95 alert' },
    );
    expect(data.totals.misses).toBeGreaterThanOrEqual(logos.length);
    expect(Object.keys(data.logoTypes).length).toBeGreaterThan(0);
    expect(data.topImages.length).toBeGreaterThanOrEqual(logos.length);
    expect(data.topImages[0].requests).toBeGreaterThanOrEqual(4);
    expect(data.series.some((p: any) => p.waiting !== undefined)).toBe(true);
    await waitFor(() => webhook.some((w) => w.status === 'firing' && w.alert.id === 'ColdP95High'), {
      timeoutMs: 10_000,
      what: 'alert webhook',
    });
    expect(fleet.api.logs.join('')).toMatch(/"alert":"ColdP95High".*"trace_id":"[0-9a-f]{32}"/);
    // Secrets stay out of the logs, even after failed and successful logins.
    expect(fleet.api.logs.join('')).not.toContain(TOKEN);

    // Prometheus: queue depth sampled by the API; concurrency in use and event-loop lag on the worker's port.
    const apiMetrics = await (await get('/metrics')).text();
    expect(apiMetrics).toMatch(/tracefleet_queue_jobs\{[^}]*state="waiting"[^}]*\} \d+/);
    expect(apiMetrics).toMatch(/tracefleet_conversions_total\{[^}]*cache="hit-/);
    const workerMetrics = await (await fetch(`http://127.0.0.1:${fleet.workers[0].port}/metrics`)).text();
    for (const name of [
      'tracefleet_worker_active_jobs',
      'nodejs_eventloop_lag_p99_seconds',
      'tracefleet_pipeline_stage_duration_seconds_bucket',
      'tracefleet_conversion_duration_seconds_bucket',
    ])
      expect(workerMetrics).toContain(name);

    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // Not signed in: still a 401, but the browser is sent on to the login form.
      const denied = await page.goto(`${fleet.baseUrl}/admin/dashboard`);
      expect(denied?.status()).toBe(401);
      await page.waitForURL('**/admin/login');
      await page.fill('#token', TOKEN);
      await Promise.all([page.waitForURL('**/admin/dashboard'), page.click('button[type=submit]')]);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });

      const marks = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('.chart')].map((c) => [
            c.id,
            c.querySelectorAll('svg path, svg rect, svg circle').length,
          ]),
        ),
      );
      for (const id of [
        'chart-latency',
        'chart-hits',
        'chart-throughput',
        'chart-queue',
        'chart-failures',
        'chart-tiers',
        'chart-types',
        'chart-images',
      ]) {
        expect(marks[id], `${id} draws data`).toBeGreaterThan(0);
      }
      expect(await page.locator('[data-alert="ColdP95High"]').count()).toBe(1);
      expect(await page.locator('#tiles .tile').count()).toBeGreaterThanOrEqual(5);
      expect(errors).toEqual([]);
      fs.mkdirSync(ARTEFACTS, { recursive: true });
      const shot = path.join(ARTEFACTS, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(fs.statSync(shot).size).toBeGreaterThan(20_000);

      // Bull Board works from the same login.
      const queuesApi = page.waitForResponse((r) => r.url().includes('/admin/queues/api/queues'), { timeout: 20_000 });
      await page.goto(`${fleet.baseUrl}/admin/queues/queue/convert?status=completed`);
      expect((await queuesApi).status()).toBe(200);
      await page.waitForSelector('text=convert', { timeout: 20_000 });
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: path.join(ARTEFACTS, 'bull-board.png') });
    } finally {
      await browser.close();
    }
  });

  it('a second API instance sees the same data and alerts, and its traffic shows up on the first', async () => {
    const port = await freePort();
    second = spawn(
      process.execPath,
      [
        '--import',
        path.join(REPO_ROOT, 'packages/telemetry/dist/register.js'),
        path.join(REPO_ROOT, 'apps/api/dist/main.js'),
      ],
      {
        env: {
          ...process.env,
          ...fleet.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tf-obs-api2-')),
        },
        stdio: 'ignore',
      },
    );
    const base2 = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base2}/ready`).catch(() => undefined))?.ok, {
      timeoutMs: 30_000,
      what: 'second API',
    });
    const view = async (base: string) =>
      (await fetch(`${base}/admin/api/dashboard?minutes=60`, { headers: bearer })).json() as Promise<any>;
    const hits = (d: any) => Object.values(d.totals.hits as Record<string, number>).reduce((a, b) => a + b, 0);
    const before = hits(await view(fleet.baseUrl));
    const logo = corpusManifest().filter((f) => f.width * f.height <= 300_000)[0];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${base2}/v1/convert`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: fs.readFileSync(path.join(CORPUS, logo.file)),
      });
      expect(r.headers.get('x-cache')).toMatch(/^hit-/);
      await r.arrayBuffer();
    }
    await waitFor(async () => hits(await view(fleet.baseUrl)) >= before + 5, {
      timeoutMs: 20_000,
      what: "hits served by the second API in the first one's view",
    });
    const [a, b] = await Promise.all([view(fleet.baseUrl), view(base2)]);
    expect(hits(b)).toBe(hits(a));
    expect(b.alerts.map((x: any) => x.id)).toEqual(a.alerts.map((x: any) => x.id));
  });
});
