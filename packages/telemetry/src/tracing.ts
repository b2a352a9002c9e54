import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * Tracing is on only when the standard OTEL_* variables ask for it: an exporter other than `none`
 * in OTEL_TRACES_EXPORTER, or an OTLP endpoint. Off means the SDK is never even loaded, so the
 * @opentelemetry/api calls in the code stay no-ops.
 */
export function tracingEnabled(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (exporters.length) return exporters.some((e) => e !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** OTEL_SERVICE_NAME, else the name of the package that owns the entry script (@tracefleet/api → tracefleet-api). */
export function serviceNameFor(entry: string | undefined, env: Env = process.env): string {
  if (env.OTEL_SERVICE_NAME) return env.OTEL_SERVICE_NAME;
  let dir = entry ? path.dirname(path.resolve(entry)) : process.cwd();
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const name = (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name;
      if (name) return name.replace(/^@/, '').replace('/', '-');
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return 'tracefleet';
}

let sdk: { shutdown(): Promise<void> } | undefined;

/**
 * Starts the OpenTelemetry Node SDK (exporter, sampler, resource from the OTEL_* variables) with the
 * instrumentations the fleet needs. Must run before fastify, ioredis or mongodb are loaded, hence
 * `node --import @tracefleet/telemetry/register`.
 */
export async function startTracing(serviceName: string): Promise<boolean> {
  if (sdk || !tracingEnabled()) return Boolean(sdk);
  const [{ NodeSDK }, { HttpInstrumentation }, { IORedisInstrumentation }, { MongoDBInstrumentation }, fastifyOtel] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-ioredis'),
      import('@opentelemetry/instrumentation-mongodb'),
      import('@fastify/otel'),
    ]);
  const quiet = /^\/(health|ready|metrics)(\?|$)/;
  const instance = new NodeSDK({
    serviceName,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (req) => quiet.test(req.url ?? ''),
        // The OTLP exporter's own POSTs would trace themselves.
        ignoreOutgoingRequestHook: (req) => String(req.path ?? '').startsWith('/v1/traces'),
      }),
      // Only commands inside a request or job: BullMQ's blocking polls would otherwise be endless root spans.
      new IORedisInstrumentation({ requireParentSpan: true }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new fastifyOtel.FastifyOtelInstrumentation({
        registerOnInitialization: true,
        ignorePaths: ({ url }) => quiet.test(url),
      }),
    ],
  });
  instance.start();
  sdk = instance;
  // The instrumentations patch CommonJS libraries through require hooks, which an ESM `import` of
  // them bypasses. Loading them once through require, from the app's own location, patches the
  // exports that every later import shares.
  const requireFromApp = createRequire(process.argv[1] ?? import.meta.url);
  for (const name of ['ioredis', 'mongodb']) {
    try {
      requireFromApp(name);
    } catch {
      /* not a dependency of this app */
    }
  }
  return true;
}

/** Flushes and stops the SDK (on shutdown, so the last spans are not lost). */
export async function shutdownTracing(): Promise<void> {
  const s = sdk;
  sdk = undefined;
  await s?.shutdown().catch(() => undefined);
}

export function tracingStarted(): boolean {
  return sdk !== undefined;
}
