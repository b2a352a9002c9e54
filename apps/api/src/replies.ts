import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Conversion } from '@tracefleet/contract';
import type { Answer } from './services/conversions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The conversion this request answered with, for the hooks that record it (monitoring). */
    conversion: Conversion | null;
  }
}

export function etagFor(key: string): string {
  return `"${createHash('sha1').update(key).digest('base64url')}"`;
}

/** An SVG answer: the result with its cache outcome, score, job id and a content ETag (304 on a match). */
export function sendSvg(req: FastifyRequest, reply: FastifyReply, a: Answer) {
  const { conversion } = a;
  req.conversion = conversion;
  const etag = etagFor(conversion.key);
  reply
    .header('x-cache', conversion.cache)
    .header('x-quality-ssim', String(conversion.meta.quality.ssim))
    .header('x-job-id', a.jobId)
    .header('etag', etag)
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .header('x-content-type-options', 'nosniff')
    // Opened directly, an SVG is a download, never a page of this origin.
    .header('content-disposition', `attachment; filename="${a.jobId.replace(/[^A-Za-z0-9._-]/g, '_')}.svg"`);
  if (req.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type('image/svg+xml; charset=utf-8').send(conversion.svg);
}
