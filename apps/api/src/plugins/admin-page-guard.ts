import type { FastifyReply, FastifyRequest } from 'fastify';
import { toTracefleetError } from '@tracefleet/errors';
import { adminGuard, type AdminAuth } from './admin-session.js';

const SIGN_IN = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/admin/login"><title>Sign in</title><p>Admin token required: <a href="/admin/login">sign in</a>.</p>`;

/**
 * `adminGuard` for pages a person opens: still 401, but a browser asking for HTML gets a page that
 * sends it to /admin/login instead of a JSON error. Answers itself rather than throwing, so it also
 * works under plugins with their own error handler (Bull Board).
 */
export function adminPageGuard(auth: AdminAuth) {
  const guard = adminGuard(auth);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      await guard(req, reply);
    } catch (err) {
      const e = toTracefleetError(err);
      if (e.code === 'UNAUTHORIZED' && req.method === 'GET' && /\btext\/html\b/.test(req.headers.accept ?? '')) {
        return reply
          .status(e.status)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(SIGN_IN);
      }
      return reply.status(e.status).send({ error: { code: e.code, message: e.message } });
    }
  };
}
