import { SpanStatusCode, context, createContextKey, trace, type Span } from '@opentelemetry/api';
import { BullMQOtel } from 'bullmq-otel';
import { tracingEnabled } from './tracing.js';

const tracer = () => trace.getTracer('tracefleet');

/** BullMQ's telemetry adapter (`new Queue(..., { telemetry })`), only when tracing is on. */
export function queueTelemetry(): BullMQOtel | undefined {
  return tracingEnabled() ? new BullMQOtel({ tracerName: 'tracefleet-bullmq' }) : undefined;
}

/**
 * The pipeline runs in worker threads and reports `meta.timings` (ms per stage, in order). This
 * turns them into a `pipeline` span with one child per stage, ending at `endMs` (epoch ms), as
 * children of the active span (the BullMQ job span).
 */
export function recordStageSpans(timings: Record<string, number>, endMs = Date.now()): void {
  const active = trace.getActiveSpan();
  if (!active?.isRecording()) return;
  const stages = Object.entries(timings).filter(([stage, ms]) => stage !== 'total' && Number.isFinite(ms));
  const total = Number.isFinite(timings.total) ? timings.total : stages.reduce((s, [, ms]) => s + ms, 0);
  let t = endMs - total;
  const parent = tracer().startSpan('pipeline', { startTime: t, attributes: { 'tracefleet.pipeline.ms': total } });
  const ctx = trace.setSpan(context.active(), parent);
  for (const [stage, ms] of stages) {
    tracer()
      .startSpan(
        `pipeline.${stage}`,
        { startTime: t, attributes: { 'tracefleet.stage': stage, 'tracefleet.stage.ms': ms } },
        ctx,
      )
      .end(t + ms);
    t += ms;
  }
  parent.end(endMs);
}

interface TierLike {
  readonly name: string;
  get(key: string): Promise<unknown>;
}

/**
 * A span per cache tier lookup with its outcome (hit, miss, error). Wraps each tier's `get` in
 * place; called only when tracing is on, so the hot path is untouched otherwise.
 */
export function traceCacheTiers(cache: { tiers?: readonly TierLike[] }): void {
  if (!tracingEnabled()) return;
  for (const tier of cache.tiers ?? []) {
    const get = tier.get.bind(tier);
    (tier as { get: TierLike['get'] }).get = (key: string) =>
      tracer().startActiveSpan(
        `cache.get ${tier.name}`,
        { attributes: { 'tracefleet.cache.tier': tier.name } },
        async (span: Span) => {
          try {
            const value = await get(key);
            span.setAttribute('tracefleet.cache.outcome', value ? 'hit' : 'miss');
            return value;
          } catch (err) {
            span.setAttribute('tracefleet.cache.outcome', 'error');
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
            throw err;
          } finally {
            span.end();
          }
        },
      );
  }
}

/** The current trace id, if a span is active (for log lines and alert events). */
export function activeTraceId(): string | undefined {
  const c = trace.getActiveSpan()?.spanContext();
  return c && c.traceId !== '00000000000000000000000000000000' ? c.traceId : undefined;
}

// The SDK's suppression flag (a Symbol.for key, so it matches @opentelemetry/core's without depending on it).
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * Runs `fn` inside a new span (a no-op wrapper when tracing is off), so its log lines carry a trace
 * id. `quiet`: no child spans (a periodic task's Redis reads would otherwise fill the tracing backend).
 */
export function withSpan<T>(name: string, fn: () => Promise<T>, opts: { quiet?: boolean } = {}): Promise<T> {
  return tracer().startActiveSpan(name, async (span: Span) => {
    try {
      return opts.quiet ? await context.with(context.active().setValue(SUPPRESS_TRACING, true), fn) : await fn();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
