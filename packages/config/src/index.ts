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
  {
    name: 'REDIS_URL',
    default: 'redis://127.0.0.1:6379',
    description:
      'Queue Redis, one node (redis:// or rediss://, auth in the URL); exclusive with REDIS_SENTINELS and REDIS_CLUSTER_NODES. Also the cache Redis unless CACHE_REDIS_* is set; the CLI uses it for cache warm/export/import',
    apps: ALL,
  },
  {
    name: 'REDIS_SENTINELS',
    default: undefined,
    description:
      'Queue Redis through Sentinel: host:port of the sentinels, comma-separated (with REDIS_SENTINEL_NAME); clients follow failovers',
    apps: ALL,
  },
  {
    name: 'REDIS_SENTINEL_NAME',
    default: undefined,
    description: 'Master group name the sentinels monitor (required with REDIS_SENTINELS)',
    apps: ALL,
  },
  {
    name: 'REDIS_SENTINEL_PASSWORD',
    default: undefined,
    description: 'Password of the sentinels themselves (Sentinel requirepass)',
    apps: ALL,
  },
  {
    name: 'REDIS_PASSWORD',
    default: undefined,
    description: 'Password of the data nodes in Sentinel and Cluster mode (with REDIS_URL it goes in the URL)',
    apps: ALL,
  },
  {
    name: 'REDIS_TLS',
    default: 'false',
    description: 'true: TLS to the data nodes in Sentinel and Cluster mode (with REDIS_URL use rediss://)',
    apps: ALL,
  },
  {
    name: 'REDIS_CLUSTER_NODES',
    default: undefined,
    description:
      'Queue Redis as a Redis Cluster: host:port of some nodes, comma-separated (QUEUE_PREFIX then needs a {hash tag})',
    apps: ALL,
  },
  {
    name: 'CACHE_REDIS_URL',
    default: '<queue Redis>',
    description: 'Separate Redis for the cache tier and its invalidation channel (e.g. an allkeys-lru Redis)',
    apps: ALL,
  },
  {
    name: 'CACHE_REDIS_SENTINELS',
    default: undefined,
    description:
      'Cache Redis through Sentinel (with CACHE_REDIS_SENTINEL_NAME; REDIS_SENTINEL_PASSWORD, REDIS_PASSWORD, REDIS_TLS apply)',
    apps: ALL,
  },
  {
    name: 'CACHE_REDIS_SENTINEL_NAME',
    default: undefined,
    description: 'Master group name of the cache Redis (required with CACHE_REDIS_SENTINELS)',
    apps: ALL,
  },
  {
    name: 'CACHE_REDIS_CLUSTER_NODES',
    default: undefined,
    description:
      'Cache Redis as a Redis Cluster: host:port of some nodes, comma-separated (entries spread over every shard)',
    apps: ALL,
  },
  {
    name: 'CACHE_PREFIX',
    default: '<QUEUE_PREFIX without braces>:cache',
    description: 'Key prefix of the Redis cache tier; its invalidation channel is <CACHE_PREFIX>:events',
    apps: ALL,
  },
  { name: 'MONGO_URL', default: undefined, description: 'MongoDB durable cache tier; off when unset', apps: ALL },
  {
    name: 'CACHE_DIR',
    default: '<cwd>/.tracefleet/cache',
    description: 'Directory of the local disk cache tier',
    apps: ALL,
  },
  {
    name: 'CACHE_MEMORY_MAX_BYTES',
    default: '67108864',
    description: 'Upper bound of the in-process memory tier (bytes)',
    apps: ALL,
  },
  { name: 'CACHE_DISK_MAX_BYTES', default: '1073741824', description: 'Size cap of the disk tier (bytes)', apps: ALL },
  {
    name: 'CACHE_TTL_SECONDS',
    default: '2592000',
    description: 'Time to live of cache entries in every tier (each tier can override it below)',
    apps: ALL,
  },
  {
    name: 'CACHE_MEMORY_TTL_SECONDS',
    default: '<CACHE_TTL_SECONDS>',
    description: 'TTL in the memory tier',
    apps: ALL,
  },
  { name: 'CACHE_DISK_TTL_SECONDS', default: '<CACHE_TTL_SECONDS>', description: 'TTL in the disk tier', apps: ALL },
  { name: 'CACHE_REDIS_TTL_SECONDS', default: '<CACHE_TTL_SECONDS>', description: 'TTL in the Redis tier', apps: ALL },
  {
    name: 'CACHE_MONGO_TTL_SECONDS',
    default: '<CACHE_TTL_SECONDS>',
    description: 'TTL in the MongoDB tier',
    apps: ALL,
  },
  {
    name: 'CACHE_EVICTION_BROADCAST',
    default: 'shared',
    description:
      'Which evictions every process drops from its memory tier: shared (disk and Redis expiry/eviction), all (also memory LRU evictions) or off',
    apps: ALL,
  },
  {
    name: 'WORKER_CONCURRENCY',
    default: '<cores>',
    description: 'Jobs a worker process runs at once',
    apps: ['worker'],
  },
  {
    name: 'PIPELINE_THREADS',
    default: '<cores>',
    description: 'Worker threads of the conversion pool per process',
    apps: ['worker', 'cli'],
  },
  {
    name: 'ADMIN_TOKEN',
    default: undefined,
    description:
      'Bearer token for /admin routes (at least 32 characters; start-up refuses a shorter one); admin routes are refused when unset',
    apps: ['api'],
  },
  {
    name: 'ADMIN_SESSION_TTL_SECONDS',
    default: '43200',
    description: 'Lifetime of an admin login session (kept in Redis; logout revokes it)',
    apps: ['api'],
  },
  {
    name: 'TRUST_PROXY',
    default: undefined,
    description:
      'Trust X-Forwarded-* from these proxies (true, or comma-separated addresses/CIDRs): client address for limits, https for Secure cookies',
    apps: ['api'],
  },
  {
    name: 'REQUEST_TIMEOUT_MS',
    default: '60000',
    description: 'Longest time a client may take to send a whole request (headers and body)',
    apps: ['api'],
  },
  {
    name: 'CONNECTION_TIMEOUT_MS',
    default: '330000',
    description: 'Idle socket timeout; above the longest wait a request may ask for (300 s)',
    apps: ['api'],
  },
  {
    name: 'KEEP_ALIVE_TIMEOUT_MS',
    default: '72000',
    description: 'How long an idle keep-alive connection stays open (keep it above the load balancer idle timeout)',
    apps: ['api'],
  },
  {
    name: 'UPLOAD_TTL_SECONDS',
    default: '3600',
    description:
      'Uploaded bytes are deleted when their job completes or fails for good, and expire after this otherwise',
    apps: ['api'],
  },
  {
    name: 'UPLOAD_BUDGET_BYTES',
    default: '268435456',
    description:
      'Most upload bytes waiting in Redis for a worker; past it new conversions get 503 UPLOAD_BUDGET_EXCEEDED',
    apps: ['api'],
  },
  {
    name: 'JOB_TTL_SECONDS',
    default: '86400',
    description: 'How long job and batch ids answer after the job finished (job records, batches, tenant ids)',
    apps: FLEET,
  },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino log level', apps: ALL },
  { name: 'MAX_BODY_BYTES', default: '10485760', description: 'Largest accepted upload (bytes)', apps: ['api'] },
  {
    name: 'MAX_INPUT_PIXELS',
    default: '40000000',
    description: 'Largest decoded image (width x height); bigger is refused before decoding',
    apps: ALL,
  },
  { name: 'MIN_DIMENSION', default: '4', description: 'Smallest accepted width or height (px)', apps: ALL },
  {
    name: 'MAX_TRACE_DIMENSION',
    default: '1024',
    description: 'Long side images are scaled to before tracing',
    apps: ALL,
  },
  {
    name: 'MAX_JPEG_SCANS',
    default: '100',
    description:
      'JPEGs with more scans are refused from their markers before decoding (IMAGE_TOO_COMPLEX); encoders write a few dozen at most',
    apps: ALL,
  },
  {
    name: 'MAX_SVG_BYTES',
    default: '2000000',
    description: 'Largest SVG a conversion may produce; noise-like input beyond it fails with IMAGE_TOO_COMPLEX',
    apps: ['worker', 'cli'],
  },
  {
    name: 'MAX_SVG_PATHS',
    default: '20000',
    description: 'Most closed contours (subpaths) in one SVG; beyond it the conversion fails with IMAGE_TOO_COMPLEX',
    apps: ['worker', 'cli'],
  },
  {
    name: 'JOB_TIMEOUT_MS',
    default: '60000',
    description: 'Time limit of one conversion once a thread runs it; past it the job fails permanently (TIMEOUT)',
    apps: ['worker', 'cli'],
  },
  {
    name: 'JOB_ATTEMPTS',
    default: '3',
    description: 'Attempts per job for transient failures (exponential backoff)',
    apps: ['api'],
  },
  {
    name: 'DEFAULT_WAIT_SECONDS',
    default: '30',
    description: 'How long POST /v1/convert waits for a job before answering 202',
    apps: ['api'],
  },
  {
    name: 'METRICS_PORT',
    default: '9464',
    description: 'Worker HTTP port for /metrics, /health and /ready',
    apps: ['worker'],
  },
  {
    name: 'METRICS_HOST',
    default: '0.0.0.0',
    description: 'Address the worker probe/metrics server binds (127.0.0.1 keeps it local)',
    apps: ['worker'],
  },
  {
    name: 'QUEUE_PREFIX',
    default: 'tracefleet ({tracefleet} with a cluster)',
    description:
      'Key prefix of the queue, uploads, rate limits and monitoring; on a Redis Cluster it must contain a {hash tag} (one slot)',
    apps: FLEET,
  },
  {
    name: 'SHUTDOWN_GRACE_MS',
    default: '30000',
    description: 'How long a worker may finish in-flight jobs after SIGTERM',
    apps: ['worker'],
  },
  {
    name: 'API_KEYS',
    default: undefined,
    description: 'Client API keys as name:key[:maxPerWindow], comma-separated; /v1 routes require one when set',
    apps: ['api'],
  },
  {
    name: 'RATE_LIMIT_MAX',
    default: '600',
    description:
      'Conversions per key and window when API_KEYS is set (a batch of N files counts N; counted in Redis, 429 past it)',
    apps: ['api'],
  },
  { name: 'RATE_LIMIT_WINDOW_SECONDS', default: '60', description: 'Rate limit window', apps: ['api'] },
  { name: 'MAX_BATCH_SIZE', default: '100', description: 'Most files in one POST /v1/batches', apps: ['api'] },
  {
    name: 'WORKER_LOCK_DURATION_MS',
    default: '30000',
    description: "BullMQ job lock; a dead worker's jobs are recovered after about this plus the stalled interval",
    apps: ['worker'],
  },
  {
    name: 'WORKER_STALLED_INTERVAL_MS',
    default: '15000',
    description: 'How often workers look for stalled jobs (whose lock expired)',
    apps: ['worker'],
  },
  {
    name: 'WORKER_MAX_STALLED_COUNT',
    default: '2',
    description: 'Times a job may stall (its worker died) before it fails',
    apps: ['worker'],
  },
  {
    name: 'WORKER_LIVENESS_SECONDS',
    default: '60',
    description: 'Worker /live fails when jobs have waited this long while the worker took none',
    apps: ['worker'],
  },
  {
    name: 'OTEL_TRACES_EXPORTER',
    default: undefined,
    description:
      'Standard OpenTelemetry variable: otlp or console turns tracing on (with OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER…); off when unset',
    apps: FLEET,
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: undefined,
    description: 'Standard OpenTelemetry variable: OTLP collector base URL; setting it alone turns tracing on',
    apps: FLEET,
  },
  {
    name: 'OTEL_EXPORTER_OTLP_PROTOCOL',
    default: 'http/protobuf',
    description: 'Standard OpenTelemetry variable: http/protobuf or http/json',
    apps: FLEET,
  },
  {
    name: 'OTEL_SERVICE_NAME',
    default: '<package name>',
    description: 'Standard OpenTelemetry variable: service name on spans (tracefleet-api, tracefleet-worker)',
    apps: FLEET,
  },
  {
    name: 'ALERT_WEBHOOK_URL',
    default: undefined,
    description: 'Alerts are POSTed here as JSON when they fire and resolve; unset = logged and shown only',
    apps: ['api'],
  },
  {
    name: 'ALERT_INTERVAL_MS',
    default: '15000',
    description: 'How often the API evaluates the alert rules (one instance per interval)',
    apps: ['api'],
  },
  {
    name: 'ALERT_COLD_P95_MS',
    default: '10000',
    description: 'Alert when the p95 of cold conversions over 5 min exceeds this',
    apps: ['api'],
  },
  {
    name: 'ALERT_CACHED_P95_MS',
    default: '50',
    description: 'Alert when the p95 of cached answers over 5 min exceeds this',
    apps: ['api'],
  },
  {
    name: 'ALERT_HIT_RATE_DROP_PERCENT',
    default: '25',
    description: 'Alert when the 5-min hit rate falls this many points below its trailing hour',
    apps: ['api'],
  },
  {
    name: 'ALERT_QUEUE_BACKLOG',
    default: '100',
    description: 'Alert when more jobs than this wait and the number is growing',
    apps: ['api'],
  },
  {
    name: 'ALERT_FAILURE_RATE_PERCENT',
    default: '10',
    description: 'Alert when more than this share of finished jobs failed over 5 min',
    apps: ['api'],
  },
] as const;

export type Mode = 'auto' | 'mono' | 'color';

/** CACHE_EVICTION_BROADCAST: which tiers' evictions are announced to every process's memory tier. */
export const EVICTION_BROADCAST_MODES = ['shared', 'all', 'off'] as const;
export type EvictionBroadcastMode = (typeof EVICTION_BROADCAST_MODES)[number];

/** A Redis endpoint as configured: one node by URL, a Sentinel-managed master, or a Cluster. */
export interface HostPort {
  host: string;
  port: number;
}
export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | {
      mode: 'sentinel';
      sentinels: HostPort[];
      name: string;
      sentinelPassword: string | undefined;
      password: string | undefined;
      tls: boolean;
    }
  | { mode: 'cluster'; nodes: HostPort[]; password: string | undefined; tls: boolean };

export interface Config {
  port: number;
  host: string;
  /** Queue Redis: BullMQ, uploads, batches, rate limits, monitoring. */
  redis: RedisTarget;
  /** Cache tier Redis and its invalidation channel; the queue's unless CACHE_REDIS_* is set. */
  cacheRedis: RedisTarget;
  /** Key prefix of the Redis cache tier (`<prefix>:v…`); the channel is `<prefix>:events`. */
  cachePrefix: string;
  mongoUrl: string | undefined;
  cacheDir: string;
  cacheMemoryMaxBytes: number;
  cacheDiskMaxBytes: number;
  cacheTtlSeconds: number;
  /** TTL per tier; each defaults to cacheTtlSeconds. */
  cacheTierTtlSeconds: { memory: number; disk: number; redis: number; mongo: number };
  cacheEvictionBroadcast: EvictionBroadcastMode;
  workerConcurrency: number;
  pipelineThreads: number;
  adminToken: string | undefined;
  adminSessionTtlSeconds: number;
  /** Fastify `trustProxy`: false, true or a list of proxy addresses/CIDRs. */
  trustProxy: boolean | string[];
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  keepAliveTimeoutMs: number;
  uploadTtlSeconds: number;
  uploadBudgetBytes: number;
  jobTtlSeconds: number;
  logLevel: string;
  maxBodyBytes: number;
  maxInputPixels: number;
  minDimension: number;
  maxTraceDimension: number;
  maxJpegScans: number;
  maxSvgBytes: number;
  maxSvgPaths: number;
  jobTimeoutMs: number;
  jobAttempts: number;
  defaultWaitSeconds: number;
  metricsPort: number;
  metricsHost: string;
  queuePrefix: string;
  shutdownGraceMs: number;
  apiKeys: ApiKey[];
  rateLimitMax: number;
  rateLimitWindowSeconds: number;
  maxBatchSize: number;
  workerLockDurationMs: number;
  workerStalledIntervalMs: number;
  workerMaxStalledCount: number;
  workerLivenessSeconds: number;
  alertWebhookUrl: string | undefined;
  alertIntervalMs: number;
  alertColdP95Ms: number;
  alertCachedP95Ms: number;
  alertHitRateDropPercent: number;
  alertQueueBacklog: number;
  alertFailureRatePercent: number;
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

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw))
    throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** A client API key: `name` is what logs and rate-limit counters see, never the secret. */
export interface ApiKey {
  name: string;
  key: string;
  /** Requests per window for this key; undefined = RATE_LIMIT_MAX. */
  max: number | undefined;
}

/** `API_KEYS=name:key[:max],…` */
export function parseApiKeys(raw: string | undefined): ApiKey[] {
  if (!raw) return [];
  const keys = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([A-Za-z0-9_.-]+):([^:\s]{16,})(?::(\d+))?$/.exec(entry);
      if (!m)
        throw new ConfigError(
          'API_KEYS entries must be name:key[:maxPerWindow] with a key of at least 16 characters (no ":")',
        );
      return { name: m[1], key: m[2], max: m[3] === undefined ? undefined : Number(m[3]) };
    });
  if (new Set(keys.map((k) => k.name)).size !== keys.length) throw new ConfigError('API_KEYS names must be unique');
  return keys;
}

/** Shorter admin tokens are guessable at the rate an attacker can try them. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

function adminToken(env: Env): string | undefined {
  const token = str(env, 'ADMIN_TOKEN');
  if (token !== undefined && token.length < MIN_ADMIN_TOKEN_LENGTH)
    throw new ConfigError(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  return token;
}

/** `TRUST_PROXY=true|false|<addr>[,<addr>…]` */
export function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.some((a) => !/^[0-9a-fA-F.:/]+$/.test(a) && !/^(loopback|linklocal|uniquelocal)$/.test(a)))
    throw new ConfigError('TRUST_PROXY must be true, false or comma-separated addresses/CIDRs');
  return list;
}

function tierTtls(env: Env, fallback: number): Config['cacheTierTtlSeconds'] {
  return {
    memory: int(env, 'CACHE_MEMORY_TTL_SECONDS', fallback, 1),
    disk: int(env, 'CACHE_DISK_TTL_SECONDS', fallback, 1),
    redis: int(env, 'CACHE_REDIS_TTL_SECONDS', fallback, 1),
    mongo: int(env, 'CACHE_MONGO_TTL_SECONDS', fallback, 1),
  };
}

/** `host:port,…` */
export function parseHostPorts(name: string, raw: string): HostPort[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^\[?([^\]\s]+?)\]?:(\d{1,5})$/.exec(entry);
      const port = m ? Number(m[2]) : 0;
      if (!m || port < 1 || port > 65535) throw new ConfigError(`${name} entries must be host:port, got "${entry}"`);
      return { host: m[1], port };
    });
  if (!list.length) throw new ConfigError(`${name} lists no host:port`);
  return list;
}

/**
 * One Redis from `<P>REDIS_URL` | `<P>REDIS_SENTINELS` + `<P>REDIS_SENTINEL_NAME` | `<P>REDIS_CLUSTER_NODES`
 * (exactly one); undefined when none is set. Passwords and TLS of Sentinel/Cluster data nodes are shared.
 */
function redisTarget(env: Env, p: '' | 'CACHE_'): RedisTarget | undefined {
  const url = str(env, `${p}REDIS_URL`);
  const sentinels = str(env, `${p}REDIS_SENTINELS`);
  const nodes = str(env, `${p}REDIS_CLUSTER_NODES`);
  const given = [url, sentinels, nodes].filter((v) => v !== undefined).length;
  if (given > 1)
    throw new ConfigError(`set only one of ${p}REDIS_URL, ${p}REDIS_SENTINELS and ${p}REDIS_CLUSTER_NODES`);
  const password = str(env, 'REDIS_PASSWORD');
  const tls = oneOf(env, 'REDIS_TLS', ['true', 'false'], 'false') === 'true';
  if (url !== undefined) {
    if (!/^rediss?:\/\//.test(url)) throw new ConfigError(`${p}REDIS_URL must start with redis:// or rediss://`);
    return { mode: 'standalone', url };
  }
  if (sentinels !== undefined) {
    const name = str(env, `${p}REDIS_SENTINEL_NAME`);
    if (!name) throw new ConfigError(`${p}REDIS_SENTINELS needs ${p}REDIS_SENTINEL_NAME (the monitored master name)`);
    return {
      mode: 'sentinel',
      sentinels: parseHostPorts(`${p}REDIS_SENTINELS`, sentinels),
      name,
      sentinelPassword: str(env, 'REDIS_SENTINEL_PASSWORD'),
      password,
      tls,
    };
  }
  if (nodes !== undefined)
    return { mode: 'cluster', nodes: parseHostPorts(`${p}REDIS_CLUSTER_NODES`, nodes), password, tls };
  return undefined;
}

/** A non-empty `{…}` section: Redis Cluster hashes only that part, so every key of the prefix shares a slot. */
export const hasHashTag = (prefix: string) => /\{[^}]+\}/.test(prefix);

/**
 * QUEUE_PREFIX. BullMQ's scripts touch many keys of a queue at once, which a cluster allows only
 * within one slot: there the prefix needs a hash tag, `{tracefleet}` by default.
 */
function queuePrefix(env: Env, redis: RedisTarget): string {
  const cluster = redis.mode === 'cluster';
  const prefix = str(env, 'QUEUE_PREFIX') ?? (cluster ? '{tracefleet}' : 'tracefleet');
  if (cluster && !hasHashTag(prefix))
    throw new ConfigError(
      `QUEUE_PREFIX must contain a {hash tag} on a Redis Cluster (e.g. "{${prefix}}"), got "${prefix}"`,
    );
  return prefix;
}

export function loadConfig(env: Env = process.env): Config {
  const cores = Math.max(1, os.availableParallelism());
  const redis = redisTarget(env, '') ?? { mode: 'standalone', url: 'redis://127.0.0.1:6379' };
  const prefix = queuePrefix(env, redis);
  const mongoUrl = str(env, 'MONGO_URL');
  if (mongoUrl && !/^mongodb(\+srv)?:\/\//.test(mongoUrl))
    throw new ConfigError('MONGO_URL must start with mongodb:// or mongodb+srv://');
  return {
    port: int(env, 'PORT', 3000),
    host: str(env, 'HOST') ?? '0.0.0.0',
    redis,
    cacheRedis: redisTarget(env, 'CACHE_') ?? redis,
    // Without the braces: cache entries spread over every shard of a cluster.
    cachePrefix: str(env, 'CACHE_PREFIX') ?? `${prefix.replace(/[{}]/g, '')}:cache`,
    mongoUrl,
    cacheDir: path.resolve(str(env, 'CACHE_DIR') ?? path.join(process.cwd(), '.tracefleet', 'cache')),
    cacheMemoryMaxBytes: int(env, 'CACHE_MEMORY_MAX_BYTES', 64 * 1024 * 1024, 1024),
    cacheDiskMaxBytes: int(env, 'CACHE_DISK_MAX_BYTES', 1024 * 1024 * 1024, 1024),
    cacheTtlSeconds: int(env, 'CACHE_TTL_SECONDS', 30 * 24 * 3600, 1),
    cacheTierTtlSeconds: tierTtls(env, int(env, 'CACHE_TTL_SECONDS', 30 * 24 * 3600, 1)),
    cacheEvictionBroadcast: oneOf(env, 'CACHE_EVICTION_BROADCAST', EVICTION_BROADCAST_MODES, 'shared'),
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', cores, 1),
    pipelineThreads: int(env, 'PIPELINE_THREADS', cores, 1),
    adminToken: adminToken(env),
    adminSessionTtlSeconds: int(env, 'ADMIN_SESSION_TTL_SECONDS', 12 * 3600, 60),
    trustProxy: parseTrustProxy(str(env, 'TRUST_PROXY')),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 60_000, 1000),
    connectionTimeoutMs: int(env, 'CONNECTION_TIMEOUT_MS', 330_000, 1000),
    keepAliveTimeoutMs: int(env, 'KEEP_ALIVE_TIMEOUT_MS', 72_000, 1000),
    uploadTtlSeconds: int(env, 'UPLOAD_TTL_SECONDS', 3600, 10),
    uploadBudgetBytes: int(env, 'UPLOAD_BUDGET_BYTES', 256 * 1024 * 1024, 1024),
    jobTtlSeconds: int(env, 'JOB_TTL_SECONDS', 24 * 3600, 60),
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 10 * 1024 * 1024, 1),
    maxInputPixels: int(env, 'MAX_INPUT_PIXELS', 40_000_000, 1),
    minDimension: int(env, 'MIN_DIMENSION', 4, 1),
    maxTraceDimension: int(env, 'MAX_TRACE_DIMENSION', 1024, 16),
    maxJpegScans: int(env, 'MAX_JPEG_SCANS', 100, 1),
    maxSvgBytes: int(env, 'MAX_SVG_BYTES', 2_000_000, 1024),
    maxSvgPaths: int(env, 'MAX_SVG_PATHS', 20_000, 1),
    jobTimeoutMs: int(env, 'JOB_TIMEOUT_MS', 60_000, 100),
    jobAttempts: int(env, 'JOB_ATTEMPTS', 3, 1),
    defaultWaitSeconds: int(env, 'DEFAULT_WAIT_SECONDS', 30, 0),
    metricsPort: int(env, 'METRICS_PORT', 9464),
    metricsHost: str(env, 'METRICS_HOST') ?? '0.0.0.0',
    queuePrefix: prefix,
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 30_000, 0),
    apiKeys: parseApiKeys(str(env, 'API_KEYS')),
    rateLimitMax: int(env, 'RATE_LIMIT_MAX', 600, 1),
    rateLimitWindowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1),
    maxBatchSize: int(env, 'MAX_BATCH_SIZE', 100, 1),
    workerLockDurationMs: int(env, 'WORKER_LOCK_DURATION_MS', 30_000, 1000),
    workerStalledIntervalMs: int(env, 'WORKER_STALLED_INTERVAL_MS', 15_000, 500),
    workerMaxStalledCount: int(env, 'WORKER_MAX_STALLED_COUNT', 2, 0),
    workerLivenessSeconds: int(env, 'WORKER_LIVENESS_SECONDS', 60, 1),
    alertWebhookUrl: str(env, 'ALERT_WEBHOOK_URL'),
    alertIntervalMs: int(env, 'ALERT_INTERVAL_MS', 15_000, 1000),
    alertColdP95Ms: int(env, 'ALERT_COLD_P95_MS', 10_000, 1),
    alertCachedP95Ms: int(env, 'ALERT_CACHED_P95_MS', 50, 1),
    alertHitRateDropPercent: int(env, 'ALERT_HIT_RATE_DROP_PERCENT', 25, 1),
    alertQueueBacklog: int(env, 'ALERT_QUEUE_BACKLOG', 100, 1),
    alertFailureRatePercent: int(env, 'ALERT_FAILURE_RATE_PERCENT', 10, 1),
  };
}

/** What one conversion may cost: the pipeline's Limits, as the API's probe, workers and the CLI use them. */
export function pipelineLimits(c: Config) {
  return {
    maxInputPixels: c.maxInputPixels,
    minDimension: c.minDimension,
    maxTraceDimension: c.maxTraceDimension,
    maxJpegScans: c.maxJpegScans,
    maxSvgBytes: c.maxSvgBytes,
    maxSvgPaths: c.maxSvgPaths,
  };
}

export const ENV_NAMES: ReadonlySet<string> = new Set(ENV_VARS.map((v) => v.name));
