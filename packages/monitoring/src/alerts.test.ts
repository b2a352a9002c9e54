import http from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '@tracefleet/testing';
import { AlertEngine } from './alerts.js';
import { buildDashboard } from './analytics.js';
import { BucketRecorder } from './recorder.js';

describe('shared buckets and alerts on a real Redis', () => {
  let server: RedisServer;
  let redis: Redis;
  let hook: http.Server;
  const posted: Array<{ status: string; alert: { id: string; traceId: string } }> = [];
  let hookUrl = '';
  const logs: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const logger = {
    warn: (obj: object, msg: string) => logs.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    info: (obj: object, msg: string) => logs.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
  };

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        posted.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => {
    redis?.disconnect();
    hook?.close();
    await server?.stop();
  });

  it('two recorders (two API instances) add up into one view', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 30, 10);
    const a = new BucketRecorder(redis, { prefix: 'm1', flushMs: 0, now: () => now });
    const b = new BucketRecorder(redis, { prefix: 'm1', flushMs: 0, now: () => now });
    for (let i = 0; i < 30; i++) a.request({ status: 200, cache: 'hit-memory', ms: 0.8, imageHash: 'aa' });
    for (let i = 0; i < 10; i++) b.request({ status: 200, cache: 'hit-redis', ms: 2, imageHash: 'bb' });
    b.request({ status: 200, cache: 'miss', ms: 400, imageHash: 'cc' });
    b.job({ outcome: 'ok', cache: 'miss', logoType: 'mono', ms: 350, imageHash: 'cc' });
    b.job({ outcome: 'failed', code: 'INVALID_IMAGE', ms: 3 });
    a.queue({ waiting: 7, active: 2, delayed: 0, failed: 1 });
    await a.circuits('api-1', { memory: 'closed', redis: 'closed' });
    await Promise.all([a.flush(), b.flush()]);
    const d = await buildDashboard(redis, 'm1', { now, minutes: 30 });
    expect(d.totals.hits).toEqual({ memory: 30, redis: 10 });
    expect(d.totals.misses).toBe(1);
    expect(d.totals.hitRate).toBeCloseTo(40 / 41, 5);
    expect(d.totals.jobsOk).toBe(1);
    expect(d.totals.jobsFailed).toBe(1);
    expect(d.totals.failures).toEqual({ INVALID_IMAGE: 1 });
    expect(d.logoTypes).toEqual({ mono: 1 });
    expect(d.totals.cachedP50).toBeLessThanOrEqual(1);
    expect(d.totals.coldP50).toBeGreaterThan(250);
    expect(d.series.at(-1)?.waiting).toBe(7);
    expect(d.topImages.map((i) => i.imageHash)).toEqual(['aa', 'bb', 'cc']);
    expect(d.topImages[2].logoType).toBe('mono');
    expect(d.circuits.map((c) => `${c.tier}:${c.state}`).sort()).toEqual(['memory:closed', 'redis:closed']);
    expect(d.series).toHaveLength(30);
  });

  it('fires, logs with a trace id, POSTs, keeps, and resolves an alert when the condition clears', async () => {
    let now = Date.UTC(2026, 0, 1, 13, 0, 0);
    const rec = new BucketRecorder(redis, { prefix: 'm2', flushMs: 0, now: () => now });
    const engine = new AlertEngine(redis, {
      prefix: 'm2',
      logger,
      webhookUrl: hookUrl,
      now: () => now,
      thresholds: { failureRate: 0.2, minSamples: 5, windowMinutes: 5 },
    });
    for (let i = 0; i < 6; i++) rec.job({ outcome: 'ok', cache: 'miss', logoType: 'mono', ms: 100 });
    for (let i = 0; i < 4; i++) rec.job({ outcome: 'failed', code: 'PIPELINE_FAILED', ms: 100 });
    await rec.flush();

    const first = await engine.evaluate();
    expect(first.fired.map((a) => a.id)).toEqual(['FailureRateHigh']);
    const fired = logs.find((l) => l.msg.startsWith('alert firing'));
    expect(fired?.obj.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(posted).toEqual([
      expect.objectContaining({ status: 'firing', alert: expect.objectContaining({ id: 'FailureRateHigh' }) }),
    ]);
    // Still true a minute later: stays active, not re-announced.
    now += 60_000;
    expect((await engine.evaluate()).fired).toEqual([]);
    expect((await engine.active()).map((a) => a.id)).toEqual(['FailureRateHigh']);
    expect(posted).toHaveLength(1);

    // Later, only successes in the window: the alert resolves.
    now += 6 * 60_000;
    for (let i = 0; i < 20; i++) rec.job({ outcome: 'ok', cache: 'hit-redis', ms: 5 });
    await rec.flush();
    const later = await engine.evaluate();
    expect(later.resolved.map((a) => a.id)).toEqual(['FailureRateHigh']);
    expect(await engine.active()).toEqual([]);
    expect(posted.map((p) => p.status)).toEqual(['firing', 'resolved']);
    expect(posted[1].alert.traceId).toBe(posted[0].alert.traceId);
    expect(
      logs.some((l) => l.msg === 'alert resolved: FailureRateHigh' && l.obj.trace_id === posted[0].alert.traceId),
    ).toBe(true);
  });

  it('an open circuit reported by any process fires until it reports closed again', async () => {
    let now = Date.now();
    const rec = new BucketRecorder(redis, { prefix: 'm3', flushMs: 0, now: () => now });
    const engine = new AlertEngine(redis, { prefix: 'm3', logger, now: () => now });
    await rec.circuits('worker-1', { memory: 'closed', redis: 'open' });
    expect((await engine.evaluate()).fired.map((a) => a.id)).toEqual(['CacheCircuitOpen']);
    now += 5000;
    await rec.circuits('worker-1', { memory: 'closed', redis: 'closed' });
    expect((await engine.evaluate()).resolved.map((a) => a.id)).toEqual(['CacheCircuitOpen']);
  });

  it('one instance evaluates per interval (the lock), so a transition is announced once', async () => {
    const now = Date.UTC(2026, 0, 1, 14, 0, 0);
    const rec = new BucketRecorder(redis, { prefix: 'm4', flushMs: 0, now: () => now });
    for (let i = 0; i < 10; i++) rec.job({ outcome: 'failed', code: 'TIMEOUT', ms: 1 });
    await rec.flush();
    const before = posted.length;
    const engines = [0, 1, 2].map(
      () => new AlertEngine(redis, { prefix: 'm4', logger, webhookUrl: hookUrl, now: () => now, intervalMs: 60_000 }),
    );
    await Promise.all(engines.map((e) => e.tick()));
    expect(posted.length - before).toBe(1);
  });
});
