import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '@tracefleet/redis';
import { TracefleetError } from '@tracefleet/errors';
import { buildDashboard, type AlertEngine } from '@tracefleet/monitoring';
import { adminPageGuard } from '../plugins/admin-page-guard.js';
import { sameOrigin, SESSION_COOKIE, sessionIdOf, tokenMatches, type AdminAuth } from '../plugins/admin-session.js';

export interface AdminDashboardDeps {
  admin: AdminAuth;
  redis: RedisClient;
  /** QUEUE_PREFIX (not `prefix`: fastify would take that as a route prefix). */
  keyPrefix: string;
  alerts: AlertEngine;
}

/** The page's files live in src/dashboard (plain HTML, JS and CSS: no build step), found from src or dist. */
const ASSET_DIR = new URL('../../src/dashboard/', import.meta.url);
const ASSETS: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'";

const readAsset = (name: string) => fs.readFileSync(new URL(name, ASSET_DIR));

function page(reply: FastifyReply, body: Buffer | string) {
  return reply
    .header('content-security-policy', CSP)
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(body);
}

function tokenFrom(req: FastifyRequest): string | undefined {
  const b = req.body as Record<string, unknown> | string | undefined;
  if (typeof b === 'string') return new URLSearchParams(b).get('token') ?? undefined;
  return typeof b?.token === 'string' ? b.token : undefined;
}

/** The session cookie: HttpOnly, SameSite=Strict, and Secure when the client reached us over https. */
function sessionCookie(req: FastifyRequest, maxAge: number) {
  return {
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.protocol === 'https',
    maxAge,
  };
}

/**
 * `/admin/login` (a form; starts a session whose random id goes in the HttpOnly, SameSite=Strict
 * `tf_admin` cookie), `/admin/logout` (revokes it), and behind the guard: `/admin/dashboard` (page
 * and assets) and `/admin/api/dashboard` (its data, from the Redis time buckets shared by every API
 * instance). Sign-in attempts are throttled like every admin authentication.
 */
export async function adminDashboardRoutes(app: FastifyInstance, deps: AdminDashboardDeps): Promise<void> {
  const { admin } = deps;
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, body),
    );
  }

  app.get('/admin/login', async (_req, reply) => page(reply, readAsset('login.html')));
  app.get('/admin/login.css', async (_req, reply) =>
    reply.header('cache-control', 'no-cache').type(ASSETS['dashboard.css']).send(readAsset('dashboard.css')),
  );

  app.post('/admin/login', { bodyLimit: 4096 }, async (req, reply) => {
    // Login CSRF: a page of another site must not sign a browser in (to a session of its choosing).
    if (req.headers.origin !== undefined && !sameOrigin(req))
      throw new TracefleetError('FORBIDDEN', 'cross-site sign-in refused');
    if (!admin.token) throw new TracefleetError('UNAUTHORIZED', 'admin routes are disabled: set ADMIN_TOKEN');
    await admin.throttle.check(req, reply);
    const form = typeof req.body === 'string';
    if (!tokenMatches(admin, tokenFrom(req))) {
      await admin.throttle.failed(req);
      if (form) return reply.status(303).header('location', '/admin/login?failed=1').send();
      throw new TracefleetError('UNAUTHORIZED', 'admin token required');
    }
    const id = await admin.sessions.create();
    reply.setCookie(SESSION_COOKIE, id, sessionCookie(req, admin.sessions.ttlSeconds));
    if (form) return reply.status(303).header('location', '/admin/dashboard').send();
    return reply.status(204).send();
  });

  app.post('/admin/logout', async (req, reply) => {
    if (!sameOrigin(req) && req.headers.authorization === undefined)
      throw new TracefleetError('FORBIDDEN', 'cross-site request refused (Origin does not match this site)');
    const id = sessionIdOf(req);
    if (id) await admin.sessions.revoke(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' });
    return reply.status(303).header('location', '/admin/login').send();
  });

  await app.register(async (guarded) => {
    guarded.addHook('onRequest', adminPageGuard(admin));

    guarded.get('/admin/dashboard', async (_req, reply) => page(reply, readAsset('index.html')));

    guarded.get<{ Params: { file: string } }>('/admin/dashboard/:file', async (req, reply) => {
      const type = ASSETS[req.params.file];
      if (!type) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset' } });
      return reply.header('cache-control', 'no-cache').type(type).send(readAsset(req.params.file));
    });

    guarded.get<{ Querystring: { minutes?: string } }>('/admin/api/dashboard', async (req, reply) => {
      const minutes = Number(req.query.minutes ?? 180);
      const data = await buildDashboard(deps.redis, deps.keyPrefix, {
        minutes: Number.isFinite(minutes) ? minutes : 180,
        alerts: deps.alerts,
      });
      return reply.header('cache-control', 'no-store').send(data);
    });
  });
}
