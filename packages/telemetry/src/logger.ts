import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; request bodies are never logged and credentials in URLs are redacted. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'headers.authorization',
        'redisUrl',
        'mongoUrl',
        'adminToken',
      ],
      censor: '[redacted]',
    },
    base: { pid: process.pid, service: name },
    // Correlates log lines with traces; a no-op lookup when tracing is off.
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const c = span.spanContext();
      return { trace_id: c.traceId, span_id: c.spanId };
    },
  });
}

/** redis://user:secret@host -> redis://user:***@host, for log lines that name a server. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
