import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient as Redis } from '@tracefleet/redis';
import { TracefleetError } from '@tracefleet/errors';

export const SESSION_COOKIE = 'tf_admin';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Admin login sessions: a random id in an HttpOnly cookie, and in Redis only its digest with an
 * expiry (ADMIN_SESSION_TTL_SECONDS). The cookie never carries the admin token; logout deletes the
 * session, so a stolen cookie dies with it. Shared by every API replica through Redis.
 */
export class AdminSessions {
  constructor(private readonly d: { redis: Redis; prefix: string; ttlSeconds: number }) {}

  get ttlSeconds(): number {
    return this.d.ttlSeconds;
  }

  private key(id: string) {
    return `${this.d.prefix}:admin:session:${digest(id).toString('hex')}`;
  }

  async create(): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.d.redis.set(this.key(id), '1', 'EX', this.d.ttlSeconds);
    return id;
  }

  async valid(id: string): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return false;
    return (await this.d.redis.exists(this.key(id))) === 1;
  }

  async revoke(id: string): Promise<void> {
    await this.d.redis.del(this.key(id));
  }
}

/** Failed admin authentications per client and in total, per minute, before further tries are refused. */
export const FAILURES_PER_CLIENT = 10;
export const FAILURES_GLOBAL = 100;
const WINDOW_MS = 60_000;
/** Each failure waits this much per failure the client already had in the window (capped). */
const DELAY_STEP_MS = 250;
const MAX_DELAY_MS = 3000;

const FAIL = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local g = redis.call('INCR', KEYS[2])
if g == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return c
`;

/**
 * Brute-force brake on admin authentication (login form and bearer header alike): every failure is
 * counted in Redis per client address and globally and answered after a delay growing with the
 * client's failures; past FAILURES_PER_CLIENT (or FAILURES_GLOBAL in total) a minute, attempts are
 * refused with 429 before the token is even compared. Hand-written rather than @fastify/rate-limit:
 * that plugin counts requests (successful admin calls must not lock anyone out) and runs one limiter
 * per request, not a per-client and a global one.
 */
export class AdminThrottle {
  constructor(private readonly d: { redis: Redis; prefix: string }) {}

  private keys(ip: string) {
    return [`${this.d.prefix}:admin:fail:ip:${ip}`, `${this.d.prefix}:admin:fail:all`];
  }

  /** Throws RATE_LIMITED (with Retry-After) while the client or everyone is over the limit. */
  async check(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const [client, all] = this.keys(req.ip);
    const counts = await this.d.redis
      .multi()
      .get(client)
      .pttl(client)
      .get(all)
      .pttl(all)
      .exec()
      .catch(() => null);
    if (!counts) return; // Redis away: the admin routes fail on their own; the failure delay still applies.
    const [c, cTtl, g, gTtl] = counts.map(([, v]) => Number(v ?? 0));
    const over = c >= FAILURES_PER_CLIENT ? cTtl : g >= FAILURES_GLOBAL ? gTtl : 0;
    if (over > 0) {
      reply.header('retry-after', String(Math.ceil(over / 1000)));
      throw new TracefleetError('RATE_LIMITED', 'too many failed admin sign-ins; retry later');
    }
  }

  /** Records a failure and waits (the slower, the more this client failed). */
  async failed(req: FastifyRequest): Promise<void> {
    const n = Number(await this.d.redis.eval(FAIL, 2, ...this.keys(req.ip), WINDOW_MS).catch(() => 1));
    req.log.warn({ ip: req.ip, failures: n }, 'admin authentication refused');
    await new Promise((r) => setTimeout(r, Math.min(MAX_DELAY_MS, DELAY_STEP_MS * Math.max(1, n))));
  }
}

/** Everything that authenticates an admin request. */
export interface AdminAuth {
  /** ADMIN_TOKEN; admin routes are refused when undefined. */
  token: string | undefined;
  sessions: AdminSessions;
  throttle: AdminThrottle;
}

export function tokenMatches(auth: AdminAuth, given: string | undefined): boolean {
  return Boolean(auth.token && given && timingSafeEqual(digest(given), digest(auth.token)));
}

/** The session cookie as sent; undefined when absent (a malformed encoding is just not a session). */
export function sessionIdOf(req: FastifyRequest): string | undefined {
  const v = req.cookies?.[SESSION_COOKIE];
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * Whether a state-changing request comes from our own pages. Browsers send `Origin` on every
 * cross-site and same-origin POST (and `Sec-Fetch-Site`); a request from a cookie-carrying page of
 * another site is refused. Requests authenticated by the bearer header need no check: no browser
 * adds that header on its own.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin === `${req.protocol}://${req.host}`;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const referer = req.headers.referer;
  if (typeof referer === 'string') {
    try {
      return new URL(referer).origin === `${req.protocol}://${req.host}`;
    } catch {
      return false;
    }
  }
  return false;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates an admin request: `Authorization: Bearer <ADMIN_TOKEN>` or a live session cookie,
 * the latter only same-origin for state-changing methods (CSRF). Failed attempts are throttled.
 */
export function adminGuard(auth: AdminAuth) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!auth.token) throw new TracefleetError('UNAUTHORIZED', 'admin routes are disabled: set ADMIN_TOKEN');
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const session = sessionIdOf(req);
    if (bearer === undefined && session === undefined)
      throw new TracefleetError('UNAUTHORIZED', 'admin token required');
    await auth.throttle.check(req, reply);
    if (bearer !== undefined) {
      if (tokenMatches(auth, bearer)) return;
    } else if (session !== undefined && (await auth.sessions.valid(session).catch(() => false))) {
      if (!SAFE_METHODS.has(req.method) && !sameOrigin(req))
        throw new TracefleetError('FORBIDDEN', 'cross-site request refused (Origin does not match this site)');
      return;
    }
    await auth.throttle.failed(req);
    throw new TracefleetError('UNAUTHORIZED', 'admin token required');
  };
}
