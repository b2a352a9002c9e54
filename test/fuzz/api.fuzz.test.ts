import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeSvg } from '@tracefleet/pipeline';
import { alive, startFleet, type Fleet } from '../helpers/fleet.js';
import { postRaw } from '../helpers/http.js';
import { sampleInputs, seeds } from './inputs.js';

const RUNS = 300;
const CLIENT_CODES = new Set([
  'INVALID_IMAGE',
  'IMAGE_TOO_LARGE',
  'IMAGE_TOO_SMALL',
  'UNSAFE_OUTPUT',
  'UNTRACEABLE',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'BAD_REQUEST',
]);
const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'];

/** A few hundred fuzz inputs through the real API and workers: a safe SVG or a typed 4xx, never a 5xx or a crash. */
describe('fuzz: through the API', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ workers: 1, env: { JOB_ATTEMPTS: '1' }, workerEnv: { WORKER_CONCURRENCY: '4' } });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it(`${RUNS} inputs: 200 with a safe SVG or a typed 4xx`, async () => {
    const inputs = sampleInputs(await seeds(), RUNS, 777);
    const statuses = new Map<string, number>();
    const bad: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < inputs.length) {
          const i = next++;
          const { kind, bytes } = inputs[i];
          const res = await postRaw(`${fleet.baseUrl}/v1/convert?wait=60`, bytes, TYPES[i % TYPES.length]);
          if (res.status === 200) {
            try {
              assertSafeSvg(res.body);
            } catch (err) {
              bad.push(`#${i} ${kind}: unsafe SVG served: ${String(err)}`);
            }
            statuses.set('200', (statuses.get('200') ?? 0) + 1);
            continue;
          }
          let code = '?';
          try {
            code = JSON.parse(res.body).error.code;
          } catch {
            bad.push(`#${i} ${kind}: ${res.status} without the error shape: ${res.body.slice(0, 100)}`);
          }
          if (res.status >= 500 || !CLIENT_CODES.has(code))
            bad.push(`#${i} ${kind}: ${res.status} ${res.body.slice(0, 200)}`);
          statuses.set(`${res.status} ${code}`, (statuses.get(`${res.status} ${code}`) ?? 0) + 1);
        }
      }),
    );
    console.log(`api fuzz ${RUNS}: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(bad).toEqual([]);
    expect(statuses.get('200') ?? 0).toBeGreaterThan(10);
    expect(alive(fleet.api)).toBe(true);
    for (const w of fleet.workers) expect(alive(w)).toBe(true);
  });
});
