import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TracefleetError } from '@tracefleet/errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check of `Authorization: Bearer <ADMIN_TOKEN>`; with no token configured, admin is off. */
export function adminGuard(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!expected) throw new TracefleetError('UNAUTHORIZED', 'admin routes are disabled: set ADMIN_TOKEN');
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const cookie = /(?:^|;\s*)tf_admin=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const given = m?.[1] ?? (cookie ? decodeURIComponent(cookie) : undefined);
    if (!given || !timingSafeEqual(digest(given), expected))
      throw new TracefleetError('UNAUTHORIZED', 'admin token required');
  };
}
