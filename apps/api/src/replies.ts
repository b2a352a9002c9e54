import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Conversion } from '@tracefleet/contract';
import type { Rendition } from '@tracefleet/converter';
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

/** Headers every result answer has; true when the client's copy is current (answer 304). */
function resultHeaders(req: FastifyRequest, reply: FastifyReply, a: Answer, etag: string): boolean {
  const { conversion } = a;
  req.conversion = conversion;
  reply
    .header('x-cache', conversion.cache)
    .header('x-quality-ssim', String(conversion.meta.quality.ssim))
    .header('x-job-id', a.jobId)
    .header('etag', etag)
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('x-content-type-options', 'nosniff');
  return req.headers['if-none-match'] === etag;
}

/** Opened directly, a result is a download, never a page of this origin. */
function attachment(reply: FastifyReply, a: Answer, extension: string) {
  reply.header(
    'content-disposition',
    `attachment; filename="${a.jobId.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}"`,
  );
}

/** An SVG answer: the result with its cache outcome, score, job id and a content ETag (304 on a match). */
export function sendSvg(req: FastifyRequest, reply: FastifyReply, a: Answer) {
  const fresh = resultHeaders(req, reply, a, etagFor(a.conversion.key));
  reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  attachment(reply, a, 'svg');
  if (fresh) return reply.status(304).send();
  return reply.type('image/svg+xml; charset=utf-8').send(a.conversion.svg);
}

/** A result in the output format asked for: SVG as above, other formats from their rendition. */
export function sendOutput(req: FastifyRequest, reply: FastifyReply, a: Answer, r: Rendition) {
  if (r.cache === 'source') return sendSvg(req, reply, a);
  const fresh = resultHeaders(req, reply, a, etagFor(r.key));
  reply.header('x-output-cache', r.cache);
  attachment(reply, a, r.extension);
  if (fresh) return reply.status(304).send();
  return reply.type(r.contentType).send(r.bytes);
}
