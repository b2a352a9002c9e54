import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RedisClient } from '@tracefleet/redis';
import type { ApiKey } from '@tracefleet/config';
import { TracefleetError } from '@tracefleet/errors';
import { ConversionQuota, type QuotaAnswer } from '../services/quota.js';

export interface ApiKeyOptions {
  keys: readonly ApiKey[];
  /** Conversions per key and window unless the key sets its own. */
  max: number;
  windowSeconds: number;
  /** Counters live here so every API replica shares them. */
  redis: RedisClient;
  prefix: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the API key the request authenticated with (never the key itself); the tenant. */
    apiKeyName?: string;
    /** Counts n more conversions against the request's key (always ok without API keys). */
    takeConversions(n: number): Promise<QuotaAnswer>;
  }
}

const UNLIMITED: QuotaAnswer = { ok: true, retryAfterSeconds: 0 };
/** Routes that convert exactly one image per request; a batch counts its files one by one. */
const SINGLE = new Set(['POST /v1/convert', 'POST /v1/jobs']);

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The key sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
function presentedKey(req: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const header = req.headers['x-api-key'];
  return bearer ?? (typeof header === 'string' && header ? header : undefined);
}

/**
 * Optional client API keys on the public `/v1` routes, each with its own quota of conversions per
 * window counted in Redis (a batch of 100 files counts 100), answered `429 RATE_LIMITED` with
 * `Retry-After`. With no keys configured the API is open and unlimited (a private network). Keys are
 * compared in constant time over their digests, every configured key is compared (no early exit),
 * and only key names reach logs and Redis.
 */
export async function registerApiKeys(app: FastifyInstance, opts: ApiKeyOptions): Promise<void> {
  app.decorateRequest('takeConversions', async () => UNLIMITED);
  if (opts.keys.length === 0) return;
  const known = opts.keys.map((k) => ({ name: k.name, max: k.max ?? opts.max, digest: digest(k.key) }));
  const quota = new ConversionQuota({ redis: opts.redis, prefix: opts.prefix, windowSeconds: opts.windowSeconds });

  app.addHook('onRequest', async (req, reply) => {
    // The matched route, not the raw URL: `/%761/convert` reaches the same handler as `/v1/convert`.
    const route = req.routeOptions.url ?? req.url;
    if (!route.startsWith('/v1/')) return;
    const given = presentedKey(req);
    if (!given)
      throw new TracefleetError('UNAUTHORIZED', 'an API key is required (Authorization: Bearer <key> or X-API-Key)');
    const d = digest(given);
    let match: (typeof known)[number] | undefined;
    for (const k of known) if (timingSafeEqual(d, k.digest) && !match) match = k;
    if (!match) throw new TracefleetError('UNAUTHORIZED', 'unknown API key');
    const { name, max } = match;
    req.apiKeyName = name;
    req.takeConversions = async (n) => {
      try {
        return await quota.take(name, max, n);
      } catch {
        // Redis down: do not add a second failure on top; the route itself answers 503.
        return UNLIMITED;
      }
    };
    if (req.method !== 'POST') return;
    // A single conversion is counted before its body is read; a batch only checks one more would pass.
    const q = await req.takeConversions(SINGLE.has(`${req.method} ${route}`) ? 1 : 0);
    if (!q.ok) {
      reply.header('retry-after', String(q.retryAfterSeconds));
      throw new TracefleetError(
        'RATE_LIMITED',
        `quota of ${max} conversions per ${opts.windowSeconds} s used up; retry in ${q.retryAfterSeconds} s`,
      );
    }
  });
}
