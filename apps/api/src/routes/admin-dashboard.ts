import fs from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '@tracefleet/redis';
import { buildDashboard, type AlertEngine } from '@tracefleet/monitoring';
import { adminPageGuard } from '../plugins/admin-page-guard.js';

export interface AdminDashboardDeps {
  adminToken: string | undefined;
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
const COOKIE_MAX_AGE = 12 * 3600;
const FAILED_LOGIN_DELAY_MS = 300;

const readAsset = (name: string) => fs.readFileSync(new URL(name, ASSET_DIR));
const digest = (s: string) => createHash('sha256').update(s).digest();

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

/**
 * `/admin/login` (a form; sets the HttpOnly, SameSite=Strict `tf_admin` cookie that `adminGuard`
 * accepts besides the bearer header), and behind the guard: `/admin/dashboard` (page and assets)
 * and `/admin/api/dashboard` (its data, from the Redis time buckets shared by every API instance).
 */
export async function adminDashboardRoutes(app: FastifyInstance, deps: AdminDashboardDeps): Promise<void> {
  const expected = deps.adminToken ? digest(deps.adminToken) : undefined;
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
    const given = tokenFrom(req);
    const form = typeof req.body === 'string';
    const ok = Boolean(expected && given && timingSafeEqual(digest(given), expected));
    if (!ok) {
      req.log.warn({ ip: req.ip }, 'admin login refused');
      // A fixed pause makes guessing the token by trial slow without costing a real user anything.
      await new Promise((r) => setTimeout(r, FAILED_LOGIN_DELAY_MS));
      if (form) return reply.status(303).header('location', '/admin/login?failed=1').send();
      return reply.status(401).send({
        error: {
          code: 'UNAUTHORIZED',
          message: expected ? 'admin token required' : 'admin routes are disabled: set ADMIN_TOKEN',
        },
      });
    }
    const secure = req.protocol === 'https' ? '; Secure' : '';
    reply.header(
      'set-cookie',
      `tf_admin=${encodeURIComponent(given!)}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE}${secure}`,
    );
    if (form) return reply.status(303).header('location', '/admin/dashboard').send();
    return reply.status(204).send();
  });

  app.post('/admin/logout', async (_req, reply) => {
    reply.header('set-cookie', 'tf_admin=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0');
    return reply.status(303).header('location', '/admin/login').send();
  });

  await app.register(async (guarded) => {
    guarded.addHook('onRequest', adminPageGuard(deps.adminToken));

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
