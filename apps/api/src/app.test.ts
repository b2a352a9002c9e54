import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayeredCache, MemoryTier } from '@tracefleet/cache';
import type { EntryMeta } from '@tracefleet/converter';
import { loadConfig } from '@tracefleet/config';
import {
  FORMATS,
  MODES,
  OPTION_NAMES,
  OPTION_SCHEMAS,
  OUTPUT_OPTION_SCHEMAS,
  PRESET_NAMES,
  normalizeOptions,
} from '@tracefleet/contract';
import { createConvertQueue, createQueueEvents } from '@tracefleet/queue';
import { createRedisClient } from '@tracefleet/redis';
import { createLogger, createMetrics } from '@tracefleet/telemetry';
import { startRedis, type RedisServer } from '@tracefleet/testing';
import { buildApp } from './app.js';

/** The API in-process over a real Redis (no worker): schemas, validation and the OpenAPI document. */
let redisServer: RedisServer;
let app: FastifyInstance;
let close: () => Promise<void>;

beforeAll(async () => {
  redisServer = await startRedis();
  const config = loadConfig({ REDIS_URL: redisServer.url, QUEUE_PREFIX: 'tfapi' });
  const redis = createRedisClient(config.redis, 'producer');
  const events = createRedisClient(config.redis, 'events', { lazyConnect: true });
  const queue = createConvertQueue(redis, config.queuePrefix, 1);
  const queueEvents = createQueueEvents(events, config.queuePrefix);
  const cache = new LayeredCache<EntryMeta>(
    { memory: new MemoryTier({ maxBytes: 1 << 20, adaptive: false }) },
    { hitFlushMs: 0 },
  );
  app = await buildApp({
    config,
    logger: createLogger('api-test', 'silent'),
    metrics: createMetrics('api'),
    cache,
    redis,
    queue,
    queueEvents,
  });
  await app.ready();
  close = async () => {
    await app.close();
    await Promise.allSettled([queue.close(), queueEvents.close(), cache.close()]);
    redis.disconnect();
    events.disconnect();
  };
});

afterAll(async () => {
  await close?.();
  await redisServer?.stop();
});

describe('route schemas', () => {
  it('generate the OpenAPI document with the option bounds of the contract', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/convert',
        '/v1/jobs',
        '/v1/jobs/{id}',
        '/v1/jobs/{id}/svg',
        '/v1/jobs/{id}/result',
        '/v1/batches',
        '/v1/batches/{id}',
        '/v1/presets',
        '/health',
        '/ready',
      ]),
    );
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/admin'))).toBe(false);
    const params = doc.paths['/v1/convert'].post.parameters as Array<{ name: string; schema: Record<string, unknown> }>;
    const colors = params.find((p) => p.name === 'colors')!.schema;
    expect([colors.minimum, colors.maximum]).toEqual([OPTION_SCHEMAS.colors.minimum, OPTION_SCHEMAS.colors.maximum]);
    expect(params.find((p) => p.name === 'mode')!.schema.enum).toEqual(expect.arrayContaining([...MODES]));
    expect(params.find((p) => p.name === 'wait')!.schema).toMatchObject({ minimum: 0, maximum: 300 });
    for (const name of OPTION_NAMES)
      for (const path of ['/v1/convert', '/v1/jobs', '/v1/batches'])
        expect((doc.paths[path].post.parameters as Array<{ name: string }>).map((p) => p.name)).toContain(name);
    expect(params.find((p) => p.name === 'minArea')!.schema).toMatchObject({ minimum: 0, maximum: 10000 });
    expect(params.find((p) => p.name === 'preset')!.schema.enum).toEqual(PRESET_NAMES);
    expect(Object.keys(doc.paths['/v1/convert'].post.requestBody.content)).toContain('image/png');
    // Output options: on the converting route and the download route, with the contract's bounds.
    for (const op of [doc.paths['/v1/convert'].post, doc.paths['/v1/jobs/{id}/result'].get]) {
      const ps = op.parameters as Array<{ name: string; schema: Record<string, unknown> }>;
      expect(ps.find((p) => p.name === 'format')!.schema.enum).toEqual([...FORMATS]);
      const size = ps.find((p) => p.name === 'size')!.schema;
      expect([size.minimum, size.maximum]).toEqual([
        OUTPUT_OPTION_SCHEMAS.size.minimum,
        OUTPUT_OPTION_SCHEMAS.size.maximum,
      ]);
      expect(ps.map((p) => p.name)).toEqual(expect.arrayContaining(['dxfUnits', 'dpi']));
      expect(Object.keys(op.responses['200'].content)).toEqual(
        expect.arrayContaining([
          'image/svg+xml',
          'application/pdf',
          'application/postscript',
          'image/vnd.dxf',
          'image/png',
        ]),
      );
    }
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(doc.components.schemas).toHaveProperty('Job');
  });

  it('refuse a bad option with 400 BAD_REQUEST naming it, the same words as the CLI', async () => {
    const post = (q: string) =>
      app.inject({
        method: 'POST',
        url: `/v1/convert${q}`,
        headers: { 'content-type': 'image/png' },
        payload: Buffer.from('x'),
      });
    let r = await post('?colors=65');
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toEqual({
      code: 'BAD_REQUEST',
      message: 'colors must be an integer from 2 to 64 (got "65")',
    });
    r = await post('?mode=sepia');
    expect(r.json().error.message).toBe('mode must be one of auto, mono, color (got "sepia")');
    for (const [q, name] of [
      ['palette=0a66c2,xyz123', 'palette'],
      ['background=white', 'background'],
      ['minArea=10001', 'minArea'],
      ['stacking=flat', 'stacking'],
      ['curves=bezier', 'curves'],
      ['preset=poster', 'preset'],
    ]) {
      r = await post(`?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().error.code).toBe('BAD_REQUEST');
      expect(r.json().error.message, q).toMatch(new RegExp(`^${name} must be `));
    }
    r = await post('?wait=301');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/wait/);
    r = await post('?format=gif');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toBe('format must be one of svg, pdf, eps, dxf, png (got "gif")');
    r = await post('?format=png&size=4097');
    expect(r.json().error.message).toBe('size must be an integer from 16 to 4096 (got "4097")');
    r = await post('?format=dxf&dxfUnits=in');
    expect(r.json().error.message).toBe('dxfUnits must be one of px, mm (got "in")');
    r = await app.inject({ url: `/v1/jobs/nope/result?dpi=5` });
    expect(r.json().error).toEqual({
      code: 'BAD_REQUEST',
      message: 'dpi must be an integer from 10 to 2400 (got "5")',
    });
    // Any case and the British spelling pass validation (the image itself is then refused).
    r = await post('?mode=COLOUR&colors=4&format=PDF');
    expect(r.json().error.code).toBe('INVALID_IMAGE');
  });

  it('list the presets, each the options it stands for', async () => {
    const r = await app.inject({ url: '/v1/presets' });
    expect(r.statusCode).toBe(200);
    const { presets } = r.json() as { presets: Array<{ name: string; description: string; options: object }> };
    expect(presets.map((p) => p.name)).toEqual(PRESET_NAMES);
    const cutter = presets.find((p) => p.name === 'cutter')!;
    expect(cutter.options).toMatchObject({ mode: 'mono', stacking: 'cutout', curves: 'polygon' });
    expect(presets.find((p) => p.name === 'logo')!.options).toEqual({});
    for (const p of presets) expect(normalizeOptions({ preset: p.name })).toMatchObject(p.options);
  });

  it('answer an unknown job 404 and a malformed batch id 404', async () => {
    expect((await app.inject({ url: '/v1/jobs/nope' })).json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ url: '/v1/batches/nope' })).statusCode).toBe(404);
  });
});
