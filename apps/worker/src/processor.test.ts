import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { decodeReason } from '@tracefleet/errors';
import type { Conversion } from '@tracefleet/contract';
import type { ConvertJobData, ConvertJobResult, UploadStore } from '@tracefleet/queue';
import { createLogger, createMetrics } from '@tracefleet/telemetry';
import { createProcessor, type ProcessorDeps } from './processor.js';

const hash = 'a'.repeat(64);
const data: ConvertJobData = {
  cacheKey: `v1:r:${hash}:k`,
  imageHash: hash,
  options: { mode: 'auto' },
  imageKey: 'tf:upload:job-1',
  bytes: 3,
  submittedAt: 0,
};
const job = { id: 'job-1', data, attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job<
  ConvertJobData,
  ConvertJobResult
>;
const conversion = (cache: Conversion['cache']) =>
  ({
    key: data.cacheKey,
    svg: '<svg/>',
    meta: { logoType: 'flat', quality: { ssim: 1 }, bytes: 6, timings: {} },
    cache,
  }) as unknown as Conversion;

/** A processor over an upload store holding `upload` and a converter whose cache holds `cached`. */
function setup(upload: Buffer | null, cached: Conversion | undefined) {
  const calls = { convert: 0, released: [] as string[] };
  const converter: ProcessorDeps['converter'] = {
    convert: async () => {
      calls.convert++;
      return conversion('miss');
    },
    cached: async (key) => (key === data.cacheKey ? cached : undefined),
  };
  const uploads = {
    load: async () => upload,
    release: async (key: string) => void calls.released.push(key),
  } as unknown as UploadStore;
  const processor = createProcessor({
    converter,
    uploads,
    metrics: createMetrics('worker'),
    logger: createLogger('test', 'silent'),
  });
  return { processor, calls };
}

describe('convert job processor', () => {
  it('converts the uploaded bytes and releases them', async () => {
    const { processor, calls } = setup(Buffer.from('png'), undefined);
    expect((await processor(job)).cache).toBe('miss');
    expect(calls.convert).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(calls.released).toEqual([data.imageKey]);
  });

  it('a re-delivered job whose upload is gone answers from the cache (its first run stored the result)', async () => {
    const { processor, calls } = setup(null, conversion('hit-redis'));
    const out = await processor(job);
    expect(out.cache).toBe('hit-redis');
    expect(out.key).toBe(data.cacheKey);
    expect(calls.convert).toBe(0);
  });

  it('fails permanently with INVALID_IMAGE when neither the upload nor a result exists', async () => {
    const { processor, calls } = setup(null, undefined);
    const err = await processor(job).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).toBe('UnrecoverableError');
    expect(decodeReason(err!.message).code).toBe('INVALID_IMAGE');
    expect(calls.convert).toBe(0);
  });
});
