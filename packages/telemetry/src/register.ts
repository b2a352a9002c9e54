// Preload for the API and worker: `node --import @tracefleet/telemetry/register dist/main.js`.
// With tracing off (no OTEL_* exporter configured) it does nothing and loads nothing.
import { serviceNameFor, startTracing, tracingEnabled } from './tracing.js';

if (tracingEnabled()) await startTracing(serviceNameFor(process.argv[1]));
