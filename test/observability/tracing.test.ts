import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tracefleet/testing';
import { CORPUS, corpusManifest } from '../helpers/corpus.js';
import { startFleet, type Fleet } from '../helpers/fleet.js';
import { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

// The stages the pipeline times in its thread (meta.timings).
const STAGES = ['decode', 'features', 'classify', 'trace', 'optimise', 'score'];

describe('traces across processes: API request → BullMQ → worker job → pipeline stages', () => {
  let fleet: Fleet;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let traceId = '';

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    fleet = await startFleet({
      workers: 1,
      env: {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        QUEUE_PREFIX: 'tfotel',
        LOG_LEVEL: 'info',
      },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
    await receiver?.close();
  });

  it('puts the API span, the job span and the stage spans in one trace', async () => {
    const logo = corpusManifest()[3];
    const res = await fetch(`${fleet.baseUrl}/v1/convert`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: fs.readFileSync(path.join(CORPUS, logo.file)),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toBe('miss');
    await res.text();

    const traceOf = () => {
      const byTrace = new Map<string, ReceivedSpan[]>();
      for (const s of receiver.spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      return [...byTrace.values()].find((spans) =>
        spans.some((s) => s.service === 'tracefleet-worker' && s.name === 'pipeline.trace'),
      );
    };
    await waitFor(
      () => {
        const t = traceOf();
        return Boolean(t && t.some((s) => s.service === 'tracefleet-api' && s.kind === 2));
      },
      { timeoutMs: 20_000, what: 'one trace with API and worker spans' },
    );
    const trace = traceOf()!;
    const names = (service: string) => trace.filter((s) => s.service === service).map((s) => s.name);

    const apiServer = trace.find((s) => s.service === 'tracefleet-api' && s.kind === 2)!;
    expect(apiServer.parentSpanId).toBeUndefined();
    expect(apiServer.attributes['http.route'] ?? apiServer.attributes['url.path'] ?? apiServer.name).toMatch(/convert/);
    const job = trace.find((s) => s.service === 'tracefleet-worker' && /process/i.test(s.name))!;
    expect(job, `worker spans: ${names('tracefleet-worker').join(', ')}`).toBeDefined();
    // The job span descends from a span of the API process (BullMQ's producer span, inside the request).
    const parent = trace.find((s) => s.spanId === job.parentSpanId);
    expect(parent?.service).toBe('tracefleet-api');
    const pipeline = trace.find((s) => s.name === 'pipeline')!;
    expect(pipeline.parentSpanId).toBe(job.spanId);
    for (const stage of STAGES) {
      const span = trace.find((s) => s.name === `pipeline.${stage}`);
      expect(span, `stage ${stage}`).toBeDefined();
      expect(span!.parentSpanId).toBe(pipeline.spanId);
    }
    // Cache tier lookups with their outcome, on both sides.
    const lookups = trace.filter((s) => s.name.startsWith('cache.get '));
    expect(
      lookups.some((s) => s.service === 'tracefleet-api' && s.attributes['tracefleet.cache.outcome'] === 'miss'),
    ).toBe(true);
    expect(lookups.some((s) => s.service === 'tracefleet-worker')).toBe(true);
    // ioredis is instrumented: the API's enqueue talks to Redis inside the request's trace.
    expect(
      trace.some(
        (s) =>
          s.service === 'tracefleet-api' &&
          (s.attributes['db.system'] === 'redis' || s.attributes['db.system.name'] === 'redis'),
      ),
      `API spans: ${names('tracefleet-api').join(', ')}`,
    ).toBe(true);
    traceId = trace[0].traceId;
  });

  it('logs carry the trace id and no image bytes', async () => {
    const lines = fleet.workers[0].logs
      .join('')
      .split('\n')
      .flatMap((l) => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      });
    const done = lines.find((l) => l.msg === 'job done');
    expect(done?.trace_id).toBe(traceId);
    const all = fleet.api.logs.join('') + fleet.workers[0].logs.join('');
    expect(all).not.toMatch(/iVBORw0KGgo|\\x89PNG|PNG\\r\\n/);
  });
});
