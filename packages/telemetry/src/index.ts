export { createLogger, redactUrl, type Logger } from './logger.js';
export { throttledLog, throttledWarn, type ThrottleOptions } from './error-throttle.js';
export { cacheTierHooks, createMetrics, type Metrics } from './metrics.js';
export { tracingEnabled, startTracing, shutdownTracing, tracingStarted, serviceNameFor } from './tracing.js';
export { queueTelemetry, recordStageSpans, traceCacheTiers, activeTraceId, withSpan } from './spans.js';
