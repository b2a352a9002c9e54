import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TracefleetError } from '@tracefleet/errors';
import { ConversionPool, DEFAULT_LIMITS, assertSafeSvg, decodeImage, probeImage } from '@tracefleet/pipeline';
import { sampleInputs, seeds, type FuzzInput } from './inputs.js';

const RUNS = 10_000;
/** Every n-th input that decodes also goes through the whole pipeline (tracing is the costly part). */
const FULL_EVERY = 3;
const REGRESSIONS = path.join(path.dirname(new URL(import.meta.url).pathname), 'regressions');
/** Input errors: what a client gets as 422. */
const INPUT_CODES = new Set(['INVALID_IMAGE', 'IMAGE_TOO_LARGE', 'IMAGE_TOO_SMALL', 'UNSAFE_OUTPUT', 'UNTRACEABLE']);

/**
 * ≥10,000 hostile or odd inputs through the pipeline in-process: the header probe (what the API runs
 * on every upload) for all of them, the decoder for every one the probe accepts, and the full
 * conversion in the thread pool for a deterministic share of those (plus every saved regression
 * input). Each must end in a safe SVG or a typed input error; nothing may crash or grow without bound.
 */
describe('fuzz: pipeline in-process', () => {
  let pool: ConversionPool;
  beforeAll(() => {
    pool = new ConversionPool({ threads: 2, timeoutMs: 20_000, limits: DEFAULT_LIMITS });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it(`${RUNS} inputs end in a safe SVG or a typed input error, with bounded memory`, async () => {
    const inputs = sampleInputs(await seeds(), RUNS, 20261124);
    const regressions = fs
      .readdirSync(REGRESSIONS)
      .map((f) => ({ kind: `regression-${f}`, bytes: fs.readFileSync(path.join(REGRESSIONS, f)) }));
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    const note = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    let rssAfterWarmup = 0;
    let rssMax = 0;

    let decoded = 0;
    const one = async (input: FuzzInput, i: number, full = false) => {
      try {
        await probeImage(input.bytes, DEFAULT_LIMITS);
      } catch (err) {
        if (err instanceof TracefleetError && INPUT_CODES.has(err.code)) return note(`probe:${err.code}`);
        return void failures.push(`#${i} ${input.kind} probe threw ${String(err)}`);
      }
      try {
        if (full) {
          const r = await pool.convert(input.bytes, { mode: 'auto' });
          assertSafeSvg(r.svg);
          if (!/^<svg[\s>]/.test(r.svg)) throw new Error('not an svg');
          return note('svg');
        }
        await decodeImage(input.bytes, DEFAULT_LIMITS);
        if (++decoded % FULL_EVERY !== 0) return note('decoded');
        const r = await pool.convert(input.bytes, { mode: 'auto' });
        assertSafeSvg(r.svg);
        if (!/^<svg[\s>]/.test(r.svg)) throw new Error('not an svg');
        note('svg');
      } catch (err) {
        if (err instanceof TracefleetError && INPUT_CODES.has(err.code)) return note(`convert:${err.code}`);
        const file = path.join(os.tmpdir(), `tracefleet-fuzz-${i}.bin`);
        fs.writeFileSync(file, input.bytes);
        failures.push(`#${i} ${input.kind} convert threw ${String(err)} (input saved to ${file})`);
      }
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < inputs.length) {
          const i = next++;
          await one(inputs[i], i);
          if (i === 1000) rssAfterWarmup = process.memoryUsage().rss;
          if (i % 250 === 0) rssMax = Math.max(rssMax, process.memoryUsage().rss);
        }
      }),
    );
    for (const [i, r] of regressions.entries()) await one(r, RUNS + i, true);
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    console.log(
      `fuzz ${RUNS}: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}; rss after warm-up ${(rssAfterWarmup / 2 ** 20).toFixed(0)} MB, max ${(rssMax / 2 ** 20).toFixed(0)} MB`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(total).toBe(RUNS + regressions.length);
    // Both paths were exercised in earnest.
    expect(outcomes.get('svg') ?? 0).toBeGreaterThan(300);
    expect([...outcomes.keys()].filter((k) => k.startsWith('convert:')).length).toBeGreaterThan(0);
    // Memory stays bounded: no growth with the number of inputs beyond allocator noise.
    expect(rssMax - rssAfterWarmup).toBeLessThan(512 * 2 ** 20);
  });
});
