import type { FastifyInstance, FastifyReply } from 'fastify';
import { TracefleetError } from '@tracefleet/errors';
import { normalizeOptions } from '@tracefleet/pipeline';
import type { Metrics } from '@tracefleet/telemetry';
import { readImage } from '../plugins/image-body.js';
import { etagFor, type Answer, type ConversionService } from '../services/conversions.js';

interface ConvertQuery {
  mode?: string;
  colors?: string;
  wait?: string;
}

export interface ConvertRouteDeps {
  service: ConversionService;
  metrics: Metrics;
  defaultWaitSeconds: number;
}

function parseWait(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 300)
    throw new TracefleetError('BAD_REQUEST', 'wait must be a number of seconds from 0 to 300');
  return n;
}

export function sendSvg(reply: FastifyReply, a: Answer, ifNoneMatch: string | undefined) {
  const etag = etagFor(a.key);
  reply
    .header('x-cache', a.cache)
    .header('x-quality-ssim', String(a.meta.quality.ssim))
    .header('x-job-id', a.jobId)
    .header('etag', etag)
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
  if (ifNoneMatch === etag) return reply.status(304).send();
  return reply.type('image/svg+xml; charset=utf-8').send(a.svg);
}

export async function convertRoutes(app: FastifyInstance, deps: ConvertRouteDeps): Promise<void> {
  const { service, metrics } = deps;

  app.post<{ Querystring: ConvertQuery }>('/v1/convert', async (req, reply) => {
    const started = performance.now();
    const options = normalizeOptions(req.query);
    const wait = parseWait(req.query.wait, deps.defaultWaitSeconds);
    const bytes = await readImage(req);
    // A hit is answered here: neither the image decoder nor the queue is touched (only images that
    // passed validation and converted are ever cached under their content hash).
    const p = service.keyFor(bytes, options);
    const cached = await service.fromCache(p.key);
    if (cached) {
      metrics.conversions.inc({ outcome: 'ok', logo_type: String(cached.meta.logoType), cache: cached.cache });
      metrics.conversionSeconds.observe({ cache: 'hit' }, (performance.now() - started) / 1000);
      return sendSvg(reply, cached, req.headers['if-none-match']);
    }
    await service.validate(bytes);
    const job = await service.enqueue(bytes, options, p);
    const done = await service.wait(job, wait);
    if (!done)
      return reply
        .status(202)
        .header('x-job-id', p.jobId)
        .header('location', `/v1/jobs/${p.jobId}`)
        .send(await service.view(p.jobId));
    metrics.conversionSeconds.observe(
      { cache: done.cache === 'miss' ? 'miss' : 'hit' },
      (performance.now() - started) / 1000,
    );
    return sendSvg(reply, done, req.headers['if-none-match']);
  });

  app.post<{ Querystring: ConvertQuery }>('/v1/jobs', async (req, reply) => {
    const options = normalizeOptions(req.query);
    const bytes = await readImage(req);
    const p = await service.prepare(bytes, options);
    const cached = await service.fromCache(p.key);
    if (cached)
      return reply.status(202).header('location', `/v1/jobs/${p.jobId}`).send({ id: p.jobId, state: 'completed' });
    const job = await service.enqueue(bytes, options, p);
    return reply
      .status(202)
      .header('location', `/v1/jobs/${p.jobId}`)
      .send({ id: job.id, state: await job.getState() });
  });
}
