import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { RedisClient } from '@tracefleet/redis';
import type { ApiKey } from '@tracefleet/config';
import { TracefleetError } from '@tracefleet/errors';

export interface ApiKeyOptions {
  keys: readonly ApiKey[];
  /** Requests per key and window unless the key sets its own. */
  max: number;
  windowSeconds: number;
  /** Counters live here so every API replica shares them. */
  redis: RedisClient;
  prefix: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the API key the request authenticated with (never the key itself). */
    apiKeyName?: string;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The key sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
function presentedKey(req: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const header = req.headers['x-api-key'];
  return bearer ?? (typeof header === 'string' && header ? header : undefined);
}

/**
 * Optional client API keys on the public `/v1` routes, each with its own rate limit counted in Redis
 * (@fastify/rate-limit), answered `429 RATE_LIMITED` with `Retry-After`. With no keys configured the
 * API is open and unlimited (a private network). Keys are compared in constant time over their
 * digests, every configured key is compared (no early exit), and only key names reach logs and Redis.
 */
export async function registerApiKeys(app: FastifyInstance, opts: ApiKeyOptions): Promise<void> {
  if (opts.keys.length === 0) return;
  const known = opts.keys.map((k) => ({ name: k.name, max: k.max ?? opts.max, digest: digest(k.key) }));
  const maxByName = new Map(known.map((k) => [k.name, k.max]));

  await app.register(rateLimit, {
    global: false,
    redis: opts.redis,
    nameSpace: `${opts.prefix}:ratelimit:`,
    timeWindow: opts.windowSeconds * 1000,
    max: (req) => maxByName.get(req.apiKeyName ?? '') ?? opts.max,
    keyGenerator: (req) => req.apiKeyName ?? 'anonymous',
    // Redis down: do not add a second failure on top; the route itself answers 503.
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) =>
      new TracefleetError('RATE_LIMITED', `rate limit of ${ctx.max} requests per ${ctx.after} exceeded; retry later`),
  });
  const limit = app.rateLimit();

  app.addHook('onRequest', async (req, reply) => {
    // The matched route, not the raw URL: `/%761/convert` reaches the same handler as `/v1/convert`.
    const route = req.routeOptions.url ?? req.url;
    if (!route.startsWith('/v1/')) return;
    const given = presentedKey(req);
    if (!given)
      throw new TracefleetError('UNAUTHORIZED', 'an API key is required (Authorization: Bearer <key> or X-API-Key)');
    const d = digest(given);
    let match: string | undefined;
    for (const k of known) if (timingSafeEqual(d, k.digest) && !match) match = k.name;
    if (!match) throw new TracefleetError('UNAUTHORIZED', 'unknown API key');
    req.apiKeyName = match;
    await limit.call(app, req, reply);
  });
}
