import type { OpenAPIV3 } from 'openapi-types';

const error: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', example: 'INVALID_IMAGE' }, message: { type: 'string' } },
    },
  },
};

const job: OpenAPIV3.SchemaObject = {
  type: 'object',
  required: ['id', 'state', 'progress'],
  properties: {
    id: { type: 'string' },
    state: {
      type: 'string',
      enum: ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed', 'unknown'],
    },
    progress: { type: 'number' },
    result: {
      type: 'object',
      properties: {
        svgUrl: { type: 'string' },
        bytes: { type: 'integer' },
        quality: {
          type: 'object',
          properties: { ssim: { type: 'number' }, ssimGrey: { type: 'number' }, badPixelShare: { type: 'number' } },
        },
        logoType: { type: 'string', enum: ['simple', 'text', 'gradient', 'complex'] },
        cache: { type: 'string', example: 'miss' },
      },
    },
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
};

const imageBody: OpenAPIV3.RequestBodyObject = {
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

const options: OpenAPIV3.ParameterObject[] = [
  { name: 'mode', in: 'query', schema: { type: 'string', enum: ['auto', 'mono', 'color'], default: 'auto' } },
  {
    name: 'colors',
    in: 'query',
    schema: { type: 'integer', minimum: 2, maximum: 64 },
    description: 'Palette size cap; the pipeline chooses when omitted.',
  },
];

const errors = (...codes: number[]): OpenAPIV3.ResponsesObject =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );

const svgHeaders: Record<string, OpenAPIV3.HeaderObject> = {
  'X-Cache': { schema: { type: 'string' }, description: '`miss`, or `hit-<tier>` (memory, disk, redis, mongo)' },
  'X-Quality-SSIM': { schema: { type: 'number' }, description: 'Colour SSIM of the re-rendered SVG against the input' },
  'X-Job-Id': { schema: { type: 'string' }, description: 'Deterministic job id (the cache key)' },
  ETag: { schema: { type: 'string' } },
};

/** The public API, written out by hand so the document is reviewed like code. */
export const openApiDocument: OpenAPIV3.Document = {
  openapi: '3.0.3',
  info: { title: 'tracefleet', version: '1', description: 'Raster logos (PNG, JPEG, WebP) to clean, small SVG.' },
  components: { schemas: { Error: error, Job: job } },
  paths: {
    '/v1/convert': {
      post: {
        summary: 'Convert an image and wait for the SVG',
        parameters: [
          ...options,
          {
            name: 'wait',
            in: 'query',
            schema: { type: 'number', minimum: 0, maximum: 300, default: 30 },
            description: 'Seconds to wait for a cold conversion before answering 202.',
          },
        ],
        requestBody: imageBody,
        responses: {
          '200': {
            description: 'The SVG',
            headers: svgHeaders,
            content: { 'image/svg+xml': { schema: { type: 'string' } } },
          },
          '202': {
            description: 'Still converting after `wait` seconds',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } },
          },
          '304': { description: 'Not modified (If-None-Match)' },
          ...errors(400, 413, 415, 422, 429, 503, 504),
        },
      },
    },
    '/v1/jobs': {
      post: {
        summary: 'Enqueue a conversion',
        parameters: options,
        requestBody: imageBody,
        responses: {
          '202': {
            description: 'Accepted',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' } } },
              },
            },
          },
          ...errors(400, 413, 415, 422, 429, 503),
        },
      },
    },
    '/v1/jobs/{id}': {
      get: {
        summary: 'Job status',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The job',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } },
          },
          ...errors(404, 503),
        },
      },
    },
    '/v1/jobs/{id}/svg': {
      get: {
        summary: 'SVG of a completed job',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The SVG',
            headers: svgHeaders,
            content: { 'image/svg+xml': { schema: { type: 'string' } } },
          },
          ...errors(404, 409, 422, 503),
        },
      },
    },
    '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'Up' } } } },
    '/ready': {
      get: {
        summary: 'Readiness: Redis answers',
        responses: { '200': { description: 'Ready' }, '503': { description: 'Redis unreachable' } },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: {
          '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
  },
};
