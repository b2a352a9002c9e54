import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ConfigError, loadConfig } from '@tracefleet/config';
import { startFleet, type Fleet } from '../helpers/fleet.js';
import { postRaw } from '../helpers/http.js';
import { scanKeys, submitBatch } from '../helpers/batch.js';
import { syntheticLogo } from '../helpers/synthetic.js';

const ALICE = 'alice-secret-key-0123456789';
const BOB = 'bob-secret-key-9876543210abc';
const REDIS_PASSWORD = 'redis-pass-Zq81xY';

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toBuffer();
}

/**
 * API keys with per-key limits counted in Redis, every configurable input limit, and a Redis that
 * requires a password (auth in REDIS_URL); no secret may appear in any log line.
 */
describe('access and limits', () => {
  let fleet: Fleet;
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const convert = (body: Buffer, headers: Record<string, string>, q = '') =>
    fetch(`${fleet.baseUrl}/v1/convert${q}`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', ...headers },
      body: new Uint8Array(body),
    });

  beforeAll(async () => {
    fleet = await startFleet({
      workers: 1,
      redisPassword: REDIS_PASSWORD,
      env: {
        LOG_LEVEL: 'debug',
        API_KEYS: `alice:${ALICE}:4,bob:${BOB}`,
        RATE_LIMIT_MAX: '1000',
        RATE_LIMIT_WINDOW_SECONDS: '60',
        MAX_BODY_BYTES: '300000',
        MAX_INPUT_PIXELS: '1000000',
        MIN_DIMENSION: '8',
        MAX_BATCH_SIZE: '3',
      },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('requires a known API key on /v1 and leaves probes open', async () => {
    const img = await syntheticLogo(40_000);
    let r = await convert(img, {});
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe('UNAUTHORIZED');
    r = await convert(img, auth('not-a-key-at-all-000000'));
    expect(r.status).toBe(401);
    r = await convert(img, { 'x-api-key': BOB });
    expect(r.status).toBe(200);
    expect((await fetch(`${fleet.baseUrl}/v1/jobs/nope`)).status).toBe(401);
    // Percent-encoded paths reach the same routes and need the key too.
    expect((await fetch(`${fleet.baseUrl}/%761/jobs/nope`)).status).toBe(401);
    expect((await fetch(`${fleet.baseUrl}/v1/%6Aobs/nope`)).status).toBe(401);
    const routed = await (await fetch(`${fleet.baseUrl}/%761/jobs/nope`, { headers: auth(BOB) })).json();
    expect(routed.error.message).toBe('no job nope');
    for (const p of ['/health', '/ready', '/metrics'])
      expect((await fetch(`${fleet.baseUrl}${p}`)).status, p).toBe(200);
  });

  it('rate limits per key: 429 RATE_LIMITED with Retry-After, other keys unaffected', async () => {
    const img = await syntheticLogo(40_001);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const r = await convert(img, auth(ALICE));
      statuses.push(r.status);
      if (r.status === 429) limited = r;
      else await r.arrayBuffer();
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited!.json()).error.code).toBe('RATE_LIMITED');
    expect((await convert(img, auth(BOB))).status).toBe(200);
    // Counters live in Redis (shared by every API replica) under the key's name, never its secret.
    const keys = scanKeys(fleet, 'tfe2e:ratelimit:*');
    expect(keys).toContain('tfe2e:ratelimit:alice');
    expect(keys.join()).not.toContain(ALICE);
  });

  it('enforces the configured body, pixel, dimension and batch limits', async () => {
    const big = await postRaw(`${fleet.baseUrl}/v1/convert`, Buffer.alloc(400_000, 7), 'image/png', {
      earlyAnswerMs: 3000,
    });
    // The key check runs first; with a key the body limit answers.
    expect(big.status).toBe(401);
    const tooBig = await fetch(`${fleet.baseUrl}/v1/convert`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', ...auth(BOB) },
      body: new Uint8Array(400_000),
    });
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.code).toBe('PAYLOAD_TOO_LARGE');

    let r = await convert(await png(1100, 1000), auth(BOB));
    expect(r.status).toBe(422);
    expect((await r.json()).error.code).toBe('IMAGE_TOO_LARGE');
    r = await convert(await png(7, 40), auth(BOB));
    expect(r.status).toBe(422);
    expect((await r.json()).error.code).toBe('IMAGE_TOO_SMALL');

    const imgs = await Promise.all([0, 1, 2, 3].map((i) => syntheticLogo(40_100 + i)));
    r = await submitBatch(fleet, imgs, auth(BOB));
    expect(r.status).toBe(413);
    expect((await r.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    r = await submitBatch(fleet, [imgs[0], await png(7, 40), imgs[1]], auth(BOB));
    expect(r.status).toBe(202);
    const batch = await r.json();
    expect(batch.total).toBe(3);
    expect(batch.jobs[1].error.code).toBe('IMAGE_TOO_SMALL');
    // With API keys, ids are the key's own random tenant job ids.
    expect(batch.jobs[0].id).toMatch(/^t-/);
    const view = await (await fetch(`${fleet.baseUrl}/v1/batches/${batch.id}`, { headers: auth(BOB) })).json();
    expect(view.total).toBe(3);
    expect(view.jobs[1]).toMatchObject({ state: 'failed', error: { code: 'IMAGE_TOO_SMALL' } });
    expect(
      (await fetch(`${fleet.baseUrl}/v1/batches/00000000-0000-0000-0000-000000000000`, { headers: auth(BOB) })).status,
    ).toBe(404);
  });

  it('validates API_KEYS at start-up', () => {
    expect(loadConfig({ API_KEYS: `a:${ALICE}:5, b:${BOB}` }).apiKeys).toEqual([
      { name: 'a', key: ALICE, max: 5 },
      { name: 'b', key: BOB, max: undefined },
    ]);
    for (const bad of ['nokey', 'a:short', `a:${ALICE},a:${BOB}`, `a:${ALICE}:x`])
      expect(() => loadConfig({ API_KEYS: bad }), bad).toThrow(ConfigError);
  });

  it('never logs a secret (API keys, Redis password) even at debug level', async () => {
    const logs = [fleet.api, ...fleet.workers].flatMap((p) => p.logs).join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [ALICE, BOB, REDIS_PASSWORD]) expect(logs).not.toContain(secret);
  });
});
