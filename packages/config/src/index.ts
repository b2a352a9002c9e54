import os from 'node:os';
import path from 'node:path';

/**
 * The one typed view of the environment. Every variable the fleet reads is declared in ENV_VARS
 * (name, default, description) so the README, docs and infra manifests can be checked against it.
 */
export interface EnvVar {
  name: string;
  default: string | undefined;
  description: string;
  apps: ReadonlyArray<'api' | 'worker' | 'cli'>;
}

const ALL = ['api', 'worker', 'cli'] as const;
const FLEET = ['api', 'worker'] as const;

export const ENV_VARS: readonly EnvVar[] = [
  { name: 'PORT', default: '3000', description: 'API listen port', apps: ['api'] },
  { name: 'HOST', default: '0.0.0.0', description: 'API listen address', apps: ['api'] },
  { name: 'REDIS_URL', default: 'redis://127.0.0.1:6379', description: 'Redis for BullMQ and the shared cache tier (redis:// or rediss://, auth in the URL)', apps: FLEET },
  { name: 'MONGO_URL', default: undefined, description: 'MongoDB durable cache tier; off when unset', apps: ALL },
  { name: 'CACHE_DIR', default: '<cwd>/.tracefleet/cache', description: 'Directory of the local disk cache tier', apps: ALL },
  { name: 'CACHE_MEMORY_MAX_BYTES', default: '67108864', description: 'Upper bound of the in-process memory tier (bytes)', apps: ALL },
  { name: 'CACHE_DISK_MAX_BYTES', default: '1073741824', description: 'Size cap of the disk tier (bytes)', apps: ALL },
  { name: 'CACHE_TTL_SECONDS', default: '2592000', description: 'Time to live of entries in the Redis and MongoDB tiers', apps: ALL },
  { name: 'WORKER_CONCURRENCY', default: '<cores>', description: 'Jobs a worker process runs at once', apps: ['worker'] },
  { name: 'PIPELINE_THREADS', default: '<cores>', description: 'Worker threads of the conversion pool per process', apps: ['worker', 'cli'] },
  { name: 'ADMIN_TOKEN', default: undefined, description: 'Bearer token for /admin routes; admin routes are refused when unset', apps: ['api'] },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino log level', apps: ALL },
  { name: 'MAX_BODY_BYTES', default: '10485760', description: 'Largest accepted upload (bytes)', apps: ['api'] },
  { name: 'MAX_INPUT_PIXELS', default: '40000000', description: 'Largest decoded image (width x height); bigger is refused before decoding', apps: ALL },
  { name: 'MIN_DIMENSION', default: '4', description: 'Smallest accepted width or height (px)', apps: ALL },
  { name: 'MAX_TRACE_DIMENSION', default: '1024', description: 'Long side images are scaled to before tracing', apps: ALL },
  { name: 'JOB_TIMEOUT_MS', default: '60000', description: 'Per-job time limit for a conversion', apps: ['worker', 'cli'] },
  { name: 'JOB_ATTEMPTS', default: '3', description: 'Attempts per job for transient failures (exponential backoff)', apps: ['api'] },
  { name: 'DEFAULT_WAIT_SECONDS', default: '30', description: 'How long POST /v1/convert waits for a job before answering 202', apps: ['api'] },
  { name: 'METRICS_PORT', default: '9464', description: 'Worker HTTP port for /metrics, /health and /ready', apps: ['worker'] },
  { name: 'QUEUE_PREFIX', default: 'tracefleet', description: 'BullMQ key prefix', apps: FLEET },
  { name: 'SHUTDOWN_GRACE_MS', default: '30000', description: 'How long a worker may finish in-flight jobs after SIGTERM', apps: ['worker'] },
] as const;

export type Mode = 'auto' | 'mono' | 'color';

export interface Config {
  port: number;
  host: string;
  redisUrl: string;
  mongoUrl: string | undefined;
  cacheDir: string;
  cacheMemoryMaxBytes: number;
  cacheDiskMaxBytes: number;
  cacheTtlSeconds: number;
  workerConcurrency: number;
  pipelineThreads: number;
  adminToken: string | undefined;
  logLevel: string;
  maxBodyBytes: number;
  maxInputPixels: number;
  minDimension: number;
  maxTraceDimension: number;
  jobTimeoutMs: number;
  jobAttempts: number;
  defaultWaitSeconds: number;
  metricsPort: number;
  queuePrefix: string;
  shutdownGraceMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

export function loadConfig(env: Env = process.env): Config {
  const cores = Math.max(1, os.availableParallelism());
  const redisUrl = str(env, 'REDIS_URL') ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`REDIS_URL must start with redis:// or rediss://`);
  const mongoUrl = str(env, 'MONGO_URL');
  if (mongoUrl && !/^mongodb(\+srv)?:\/\//.test(mongoUrl)) throw new ConfigError('MONGO_URL must start with mongodb:// or mongodb+srv://');
  return {
    port: int(env, 'PORT', 3000),
    host: str(env, 'HOST') ?? '0.0.0.0',
    redisUrl,
    mongoUrl,
    cacheDir: path.resolve(str(env, 'CACHE_DIR') ?? path.join(process.cwd(), '.tracefleet', 'cache')),
    cacheMemoryMaxBytes: int(env, 'CACHE_MEMORY_MAX_BYTES', 64 * 1024 * 1024, 1024),
    cacheDiskMaxBytes: int(env, 'CACHE_DISK_MAX_BYTES', 1024 * 1024 * 1024, 1024),
    cacheTtlSeconds: int(env, 'CACHE_TTL_SECONDS', 30 * 24 * 3600, 1),
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', cores, 1),
    pipelineThreads: int(env, 'PIPELINE_THREADS', cores, 1),
    adminToken: str(env, 'ADMIN_TOKEN'),
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 10 * 1024 * 1024, 1),
    maxInputPixels: int(env, 'MAX_INPUT_PIXELS', 40_000_000, 1),
    minDimension: int(env, 'MIN_DIMENSION', 4, 1),
    maxTraceDimension: int(env, 'MAX_TRACE_DIMENSION', 1024, 16),
    jobTimeoutMs: int(env, 'JOB_TIMEOUT_MS', 60_000, 100),
    jobAttempts: int(env, 'JOB_ATTEMPTS', 3, 1),
    defaultWaitSeconds: int(env, 'DEFAULT_WAIT_SECONDS', 30, 0),
    metricsPort: int(env, 'METRICS_PORT', 9464),
    queuePrefix: str(env, 'QUEUE_PREFIX') ?? 'tracefleet',
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 30_000, 0),
  };
}

export const ENV_NAMES: ReadonlySet<string> = new Set(ENV_VARS.map((v) => v.name));
