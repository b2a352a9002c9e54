import type { FastifyInstance } from 'fastify';
import { TracefleetError } from '@tracefleet/errors';
import { normalizeOptions } from '@tracefleet/pipeline';
import type { BatchItem, BatchService } from '../services/batches.js';

export interface BatchRouteDeps {
  batches: BatchService;
  maxBatchSize: number;
  maxBodyBytes: number;
}

/**
 * `POST /v1/batches`: multipart with up to MAX_BATCH_SIZE file parts (any field name) → 202 with one
 * job per file; `GET /v1/batches/:id` follows them. Options (`mode`, `colors`) apply to every file.
 */
export async function batchRoutes(app: FastifyInstance, deps: BatchRouteDeps): Promise<void> {
  app.post<{ Querystring: { mode?: string; colors?: string } }>('/v1/batches', async (req, reply) => {
    const options = normalizeOptions(req.query);
    if (!req.isMultipart())
      throw new TracefleetError('UNSUPPORTED_MEDIA_TYPE', 'send the images as multipart/form-data file parts');
    const items: BatchItem[] = [];
    // Past MAX_BATCH_SIZE files (FST_FILES_LIMIT) or MAX_BODY_BYTES in one file (FST_REQ_FILE_TOO_LARGE): 413.
    const parts = req.parts({
      limits: { files: deps.maxBatchSize, fileSize: deps.maxBodyBytes, parts: deps.maxBatchSize + 20 },
    });
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      const bytes = await part.toBuffer();
      const file = part.filename || `file-${items.length}`;
      items.push(await deps.batches.submit(file, bytes, options));
    }
    if (items.length === 0) throw new TracefleetError('BAD_REQUEST', 'the batch has no files');
    const id = await deps.batches.save(items);
    reply.status(202).header('location', `/v1/batches/${id}`);
    return { id, total: items.length, jobs: items };
  });

  app.get<{ Params: { id: string } }>('/v1/batches/:id', async (req) => {
    const view = await deps.batches.view(req.params.id);
    if (!view) throw new TracefleetError('NOT_FOUND', `no batch ${req.params.id}`);
    return view;
  });
}
