import Type from 'typebox';
import { FORMATS, LOGO_TYPES, OptionsQuerySchema, OutputQuerySchema, QualitySchema } from '@tracefleet/contract';
import { FORMAT_MEDIA } from '@tracefleet/formats';

/**
 * Route schemas of the public API: Fastify validates requests and serialises answers with them, and
 * @fastify/swagger builds the OpenAPI document (/openapi.json, /docs) from them — the bounds of
 * every option are those of @tracefleet/contract, written nowhere else.
 */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ examples: ['INVALID_IMAGE'] }),
      message: Type.String(),
    }),
  },
  { $id: 'Error', description: 'Every error answer' },
);

export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
  'unknown',
];

export const JobViewSchema = Type.Object(
  {
    id: Type.String(),
    state: Type.Enum(JOB_STATES),
    progress: Type.Number(),
    result: Type.Optional(
      Type.Object({
        svgUrl: Type.String(),
        bytes: Type.Integer(),
        quality: QualitySchema,
        logoType: Type.Enum([...LOGO_TYPES]),
        cache: Type.String({ examples: ['miss'] }),
      }),
    ),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  },
  { $id: 'Job' },
);

/** Error answers by status, all of the one shape. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, { $ref: 'Error#' }]));

/** The conversion options as query parameters (every route that converts). */
export const optionsQuery = OptionsQuerySchema.properties;

/** The output options as query parameters (routes that answer with a result); not part of the cache key. */
export const outputQuery = OutputQuerySchema.properties;

export const waitQuery = (defaultSeconds: number) =>
  Type.Number({
    minimum: 0,
    maximum: 300,
    default: defaultSeconds,
    description: 'Seconds to wait for a cold conversion before answering 202 with the job',
  });

export const JobIdParams = Type.Object({ id: Type.String({ maxLength: 300 }) });

export const SubmittedSchema = Type.Object({ id: Type.String(), state: Type.String() });

/** Headers of an SVG answer (documentation). */
export const svgHeaders = {
  'x-cache': { type: 'string', description: '`miss`, or `hit-<tier>` (memory, disk, redis, mongo)' },
  'x-quality-ssim': { type: 'number', description: 'Colour SSIM of the re-rendered SVG against the input' },
  'x-job-id': { type: 'string', description: 'The job id (the cache key with "-" for ":")' },
  etag: { type: 'string' },
};

export const svgAnswer = (description: string) => ({
  description,
  headers: svgHeaders,
  content: { 'image/svg+xml': { schema: { type: 'string' } } },
});

/** A result in the format asked for (`format`, default SVG): every media type the routes may answer. */
export const outputAnswer = (description: string) => ({
  description,
  headers: {
    ...svgHeaders,
    'x-output-cache': {
      type: 'string',
      description: 'Non-SVG formats: `miss` (derived now from the vector result, never re-traced) or `hit-<tier>`',
    },
  },
  content: Object.fromEntries(
    FORMATS.map((f) => [
      FORMAT_MEDIA[f].contentType.split(';')[0],
      { schema: f === 'svg' ? { type: 'string' } : { type: 'string', format: 'binary' } },
    ]),
  ),
});

/** The image upload of the converting routes (OpenAPI only: the body is a Buffer, not JSON). */
export const IMAGE_BODY = {
  required: true,
  description: 'The image, raw or as multipart field `file`.',
  content: {
    'image/png': { schema: { type: 'string', format: 'binary' } },
    'image/jpeg': { schema: { type: 'string', format: 'binary' } },
    'image/webp': { schema: { type: 'string', format: 'binary' } },
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    'multipart/form-data': {
      schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
    },
  },
};

export const BATCH_BODY = {
  required: true,
  description: 'Up to MAX_BATCH_SIZE image file parts (any field name).',
  content: {
    'multipart/form-data': {
      schema: { type: 'object', additionalProperties: { type: 'string', format: 'binary' } },
    },
  },
};
