import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeSvg } from '@tracefleet/pipeline';
import { startFleet, type Fleet } from '../helpers/fleet.js';
import { startTlsRedis } from '../helpers/tls-redis.js';
import { syntheticLogo } from '../helpers/synthetic.js';

const PASSWORD = 'tls-redis-pass-7Hq2';

/** REDIS_URL=rediss://:password@host: the API and a worker convert over TLS with auth, and the password is never logged. */
describe('Redis over TLS with a password', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    const redis = await startTlsRedis(PASSWORD);
    fleet = await startFleet({ workers: 1, redis, env: { NODE_EXTRA_CA_CERTS: redis.caFile, LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('converts through a rediss:// URL and keeps the password out of the logs', async () => {
    expect(fleet.env.REDIS_URL).toMatch(/^rediss:\/\//);
    expect((await fetch(`${fleet.baseUrl}/ready`)).status).toBe(200);
    const bytes = await syntheticLogo(50_000);
    const res = await fetch(`${fleet.baseUrl}/v1/convert`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(bytes),
    });
    expect(res.status).toBe(200);
    assertSafeSvg(await res.text());
    const again = await fetch(`${fleet.baseUrl}/v1/convert`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(bytes),
    });
    expect(again.headers.get('x-cache')).toMatch(/^hit-/);
    const logs = [fleet.api, ...fleet.workers].flatMap((p) => p.logs).join('');
    expect(logs).not.toContain(PASSWORD);
  });
});
