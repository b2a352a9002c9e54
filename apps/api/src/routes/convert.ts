import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { normalizeOptions, normalizeOutputOptions } from '@tracefleet/contract';
import type { Metrics } from '@tracefleet/telemetry';
import { readImage } from '../plugins/image-body.js';
import { sendOutput } from '../replies.js';
import { errors, optionsQuery, outputAnswer, outputQuery, waitQuery } from '../schemas.js';
import type { ConversionService } from '../services/conversions.js';

export interface ConvertRouteDeps {
  service: ConversionService;
  metrics: Metrics;
  defaultWaitSeconds: number;
}

/**
 * `POST /v1/convert`: the SVG of an image (or its PDF, EPS, DXF or PNG: `format`), from the cache or
 * converted while the client waits.
 */
export async function convertRoutes(app: FastifyInstance, deps: ConvertRouteDeps): Promise<void> {
  const { service, metrics } = deps;
  const Query = Type.Object({
    ...optionsQuery,
    ...outputQuery,
    wait: Type.Optional(waitQuery(deps.defaultWaitSeconds)),
  });

  app.post<{ Querystring: Static<typeof Query> }>(
    '/v1/convert',
    {
      schema: {
        summary: 'Convert an image and wait for the result (SVG, or `format`)',
        tags: ['conversions'],
        querystring: Query,
        response: {
          200: outputAnswer('The result in the format asked for'),
          202: { $ref: 'Job#' },
          304: { description: 'Not modified (If-None-Match)', type: 'null' },
          ...errors(400, 413, 415, 422, 429, 503, 504),
        },
      },
    },
    async (req, reply) => {
      const started = performance.now();
      const options = normalizeOptions(req.query);
      const output = normalizeOutputOptions(req.query);
      const bytes = await readImage(req);
      const r = await service.convertAndWait(bytes, options, req.query.wait ?? deps.defaultWaitSeconds, req.apiKeyName);
      if (!r.answer) {
        const view = await service.view(r.jobId, req.apiKeyName);
        return reply.status(202).header('x-job-id', r.jobId).header('location', `/v1/jobs/${r.jobId}`).send(view);
      }
      const { cache, meta } = r.answer.conversion;
      // Answers of this API's cache are counted here; the others by the worker that ran the job.
      if (r.fromCache) metrics.conversions.inc({ outcome: 'ok', logo_type: meta.logoType, cache });
      metrics.conversionSeconds.observe(
        { cache: cache === 'miss' ? 'miss' : 'hit' },
        (performance.now() - started) / 1000,
      );
      return sendOutput(req, reply, r.answer, await service.output(r.answer, output));
    },
  );
}
