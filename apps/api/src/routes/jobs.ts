import type { FastifyInstance } from 'fastify';
import { TracefleetError } from '@tracefleet/errors';
import type { ConversionService } from '../services/conversions.js';
import { sendSvg } from './convert.js';

export async function jobRoutes(app: FastifyInstance, deps: { service: ConversionService }): Promise<void> {
  app.get<{ Params: { id: string } }>('/v1/jobs/:id', async (req) => {
    const view = await deps.service.view(req.params.id);
    if (!view) throw new TracefleetError('NOT_FOUND', `no job ${req.params.id}`);
    return view;
  });

  app.get<{ Params: { id: string } }>('/v1/jobs/:id/svg', async (req, reply) => {
    const a = await deps.service.svg(req.params.id);
    if (!a) throw new TracefleetError('NOT_FOUND', `no job ${req.params.id}`);
    return sendSvg(reply, a, req.headers['if-none-match']);
  });
}
