import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { TracefleetError } from '@tracefleet/errors';
import { normalizeOptions, OptionsQuerySchema } from '@tracefleet/contract';
import { readingMultipart } from '../plugins/image-body.js';
import { errors, JobViewSchema } from '../schemas.js';
import type { BatchItem, BatchService } from '../services/batches.js';

export interface BatchRouteDeps {
  batches: BatchService;
  maxBatchSize: number;
  maxBodyBytes: number;
}

/** File names are echoed back; a longer one is cut (it is a label, not a key). */
const MAX_FILE_NAME = 200;
const ItemError = Type.Object({ code: Type.String(), message: Type.String() });
const BatchSubmitted = Type.Object({
  id: Type.String({ format: 'uuid' }),
  total: Type.Integer(),
  jobs: Type.Array(
    Type.Object({ file: Type.String(), id: Type.Optional(Type.String()), error: Type.Optional(ItemError) }),
  ),
});
const BatchParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const BatchViewSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.Number(),
  total: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer()),
  done: Type.Boolean(),
  jobs: Type.Array(
    Type.Object({
      file: Type.String(),
      id: Type.Optional(Type.String()),
      state: Type.Optional(Type.String()),
      progress: Type.Optional(Type.Number()),
      result: JobViewSchema.properties.result,
      error: Type.Optional(ItemError),
    }),
  ),
});

/**
 * `POST /v1/batches`: multipart with up to MAX_BATCH_SIZE file parts (any field name) → 202 with one
 * job per file; `GET /v1/batches/:id` follows them. Options apply to every file.
 */
export async function batchRoutes(app: FastifyInstance, deps: BatchRouteDeps): Promise<void> {
  app.post<{ Querystring: Static<typeof OptionsQuerySchema> }>(
    '/v1/batches',
    {
      schema: {
        summary: 'Submit several images at once',
        tags: ['batches'],
        querystring: OptionsQuerySchema,
        response: { 202: BatchSubmitted, ...errors(400, 413, 415, 429, 503) },
      },
    },
    async (req, reply) => {
      const options = normalizeOptions(req.query);
      if (!req.isMultipart())
        throw new TracefleetError('UNSUPPORTED_MEDIA_TYPE', 'send the images as multipart/form-data file parts');
      const items: BatchItem[] = [];
      await readingMultipart(async () => {
        // Past MAX_BATCH_SIZE files (FST_FILES_LIMIT) or MAX_BODY_BYTES in one file (FST_REQ_FILE_TOO_LARGE): 413.
        const parts = req.parts({
          limits: { files: deps.maxBatchSize, fileSize: deps.maxBodyBytes, parts: deps.maxBatchSize + 20 },
        });
        for await (const part of parts) {
          if (part.type !== 'file') continue;
          const bytes = await part.toBuffer();
          const file = (part.filename || `file-${items.length}`).slice(0, MAX_FILE_NAME);
          // Every file is a conversion against the key's quota; files past it are refused one by one.
          const q = await req.takeConversions(1);
          const refused = {
            code: 'RATE_LIMITED',
            message: `conversion quota used up; retry in ${q.retryAfterSeconds} s`,
          };
          items.push(q.ok ? await deps.batches.submit(file, bytes, options, req.apiKeyName) : { file, error: refused });
        }
      });
      if (items.length === 0) throw new TracefleetError('BAD_REQUEST', 'the batch has no files');
      const id = await deps.batches.save(items, req.apiKeyName);
      reply.status(202).header('location', `/v1/batches/${id}`);
      return { id, total: items.length, jobs: items };
    },
  );

  app.get<{ Params: Static<typeof BatchParams> }>(
    '/v1/batches/:id',
    {
      schema: {
        summary: 'Progress of a batch',
        tags: ['batches'],
        params: BatchParams,
        response: { 200: BatchViewSchema, ...errors(404, 503) },
      },
    },
    async (req) => {
      const view = await deps.batches.view(req.params.id, req.apiKeyName);
      if (!view) throw new TracefleetError('NOT_FOUND', `no batch ${req.params.id}`);
      return view;
    },
  );
}
