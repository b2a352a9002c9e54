import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { TracefleetError } from '@tracefleet/errors';
import { normalizeOptions, normalizeOutputOptions, OptionsQuerySchema, OutputQuerySchema } from '@tracefleet/contract';
import { readImage } from '../plugins/image-body.js';
import { sendOutput, sendSvg } from '../replies.js';
import { errors, JobIdParams, outputAnswer, SubmittedSchema, svgAnswer } from '../schemas.js';
import type { ConversionService } from '../services/conversions.js';

/** The jobs resource: submit (`POST /v1/jobs`), follow (`GET /v1/jobs/:id`), fetch the SVG or any format. */
export async function jobRoutes(app: FastifyInstance, deps: { service: ConversionService }): Promise<void> {
  const { service } = deps;

  app.post<{ Querystring: Static<typeof OptionsQuerySchema> }>(
    '/v1/jobs',
    {
      schema: {
        summary: 'Enqueue a conversion',
        tags: ['jobs'],
        querystring: OptionsQuerySchema,
        response: { 202: { description: 'Accepted', ...SubmittedSchema }, ...errors(400, 413, 415, 422, 429, 503) },
      },
    },
    async (req, reply) => {
      const options = normalizeOptions(req.query);
      const submitted = await service.submit(await readImage(req), options, req.apiKeyName);
      return reply.status(202).header('location', `/v1/jobs/${submitted.id}`).send(submitted);
    },
  );

  app.get<{ Params: Static<typeof JobIdParams> }>(
    '/v1/jobs/:id',
    {
      schema: {
        summary: 'Job status',
        tags: ['jobs'],
        params: JobIdParams,
        response: { 200: { $ref: 'Job#' }, ...errors(404, 503) },
      },
    },
    async (req) => {
      const view = await service.view(req.params.id, req.apiKeyName);
      if (!view) throw new TracefleetError('NOT_FOUND', `no job ${req.params.id}`);
      return view;
    },
  );

  app.get<{ Params: Static<typeof JobIdParams> }>(
    '/v1/jobs/:id/svg',
    {
      schema: {
        summary: 'SVG of a completed job',
        tags: ['jobs'],
        params: JobIdParams,
        response: {
          200: svgAnswer('The SVG'),
          304: { description: 'Not modified', type: 'null' },
          ...errors(404, 409, 422, 503),
        },
      },
    },
    async (req, reply) => {
      const a = await service.result(req.params.id, req.apiKeyName);
      if (!a) throw new TracefleetError('NOT_FOUND', `no job ${req.params.id}`);
      return sendSvg(req, reply, a);
    },
  );

  app.get<{ Params: Static<typeof JobIdParams>; Querystring: Static<typeof OutputQuerySchema> }>(
    '/v1/jobs/:id/result',
    {
      schema: {
        summary: 'Result of a completed job in any format (derived from its vector result, never traced again)',
        tags: ['jobs'],
        params: JobIdParams,
        querystring: Type.Object(OutputQuerySchema.properties),
        response: {
          200: outputAnswer('The result in the format asked for'),
          304: { description: 'Not modified', type: 'null' },
          ...errors(400, 404, 409, 422, 503),
        },
      },
    },
    async (req, reply) => {
      const output = normalizeOutputOptions(req.query);
      const a = await service.result(req.params.id, req.apiKeyName);
      if (!a) throw new TracefleetError('NOT_FOUND', `no job ${req.params.id}`);
      return sendOutput(req, reply, a, await service.output(a, output));
    },
  );
}
