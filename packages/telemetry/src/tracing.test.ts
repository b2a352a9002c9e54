import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, trace } from '@opentelemetry/api';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeTraceId, recordStageSpans, traceCacheTiers, withSpan } from './spans.js';
import { serviceNameFor, tracingEnabled } from './tracing.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('tracing switch', () => {
  it('is off unless an OTEL_* exporter or endpoint asks for it', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(
      false,
    );
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('names the service after the package of the entry script unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(serviceNameFor(path.join(repo, 'apps/api/dist/main.js'), {})).toBe('tracefleet-api');
    expect(serviceNameFor(path.join(repo, 'apps/worker/dist/main.js'), {})).toBe('tracefleet-worker');
    expect(serviceNameFor(path.join(repo, 'apps/api/dist/main.js'), { OTEL_SERVICE_NAME: 'edge-api' })).toBe(
      'edge-api',
    );
  });
});

describe('spans made from the pipeline timings and cache lookups', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const saved = process.env.OTEL_TRACES_EXPORTER;
  let sdk: NodeSDK;
  beforeAll(() => {
    process.env.OTEL_TRACES_EXPORTER = 'console';
    // The SDK installs the async context manager and the provider, as in the apps (no instrumentations here;
    // no resource detection, whose async attributes would delay the export past the assertions).
    sdk = new NodeSDK({
      spanProcessors: [new tracing.SimpleSpanProcessor(exporter)],
      instrumentations: [],
      autoDetectResources: false,
    });
    sdk.start();
  });
  afterAll(async () => {
    process.env.OTEL_TRACES_EXPORTER = saved;
    await sdk.shutdown();
    trace.disable();
    context.disable();
  });

  it('lays the stages end to end under one pipeline span, children of the active job span', () => {
    exporter.reset();
    const end = 1_700_000_000_000;
    trace.getTracer('t').startActiveSpan('process convert', (job) => {
      recordStageSpans({ decode: 10, features: 5, trace: 100, score: 35, total: 150 }, end);
      job.end();
    });
    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    const job = byName.get('process convert')!;
    const pipeline = byName.get('pipeline')!;
    expect(pipeline.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(pipeline.startTime)).toBeCloseTo(end - 150, 3);
    expect(ms(pipeline.endTime)).toBeCloseTo(end, 3);
    let t = end - 150;
    for (const [stage, d] of [
      ['decode', 10],
      ['features', 5],
      ['trace', 100],
      ['score', 35],
    ] as const) {
      const s = byName.get(`pipeline.${stage}`)!;
      expect(s.parentSpanContext?.spanId).toBe(pipeline.spanContext().spanId);
      expect(ms(s.startTime)).toBeCloseTo(t, 3);
      expect(ms(s.endTime)).toBeCloseTo(t + d, 3);
      t += d;
    }
    expect(byName.has('pipeline.total')).toBe(false);
  });

  it('makes nothing without an active span', () => {
    exporter.reset();
    recordStageSpans({ decode: 1, total: 1 });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('records each tier lookup with its outcome', async () => {
    exporter.reset();
    const tiers = [
      { name: 'memory', get: async () => undefined },
      { name: 'redis', get: async (k: string) => (k === 'hit' ? { value: Buffer.from('x') } : undefined) },
      {
        name: 'disk',
        get: async () => {
          throw new Error('EACCES');
        },
      },
    ];
    traceCacheTiers({ tiers });
    expect(await tiers[1].get('hit')).toBeTruthy();
    await tiers[0].get('k');
    await expect(tiers[2].get('k')).rejects.toThrow('EACCES');
    const outcome = Object.fromEntries(
      exporter.getFinishedSpans().map((s) => [s.name, s.attributes['tracefleet.cache.outcome']]),
    );
    expect(outcome).toEqual({ 'cache.get redis': 'hit', 'cache.get memory': 'miss', 'cache.get disk': 'error' });
  });

  it('a quiet span carries the trace id but records no children', async () => {
    exporter.reset();
    let inside: string | undefined;
    await withSpan(
      'alerts.evaluate',
      async () => {
        inside = activeTraceId();
        trace.getTracer('t').startSpan('redis hgetall').end();
      },
      { quiet: true },
    );
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['alerts.evaluate']);
    expect(inside).toBe(spans[0].spanContext().traceId);
  });
});
