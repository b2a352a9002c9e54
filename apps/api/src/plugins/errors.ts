import type { FastifyError, FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { TracefleetError, toTracefleetError, type ErrorCode } from '@tracefleet/errors';
import {
  badOption,
  badOutputOption,
  OPTION_NAMES,
  OUTPUT_OPTION_NAMES,
  type OptionName,
  type OutputOptionName,
} from '@tracefleet/contract';
import { throttledLog } from '@tracefleet/telemetry';

/** Fastify's own error codes mapped onto ours, so every error has the same `{error:{code,message}}` shape. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'BAD_REQUEST',
};

export function toHttpError(err: unknown): TracefleetError {
  if (err instanceof TracefleetError) return err;
  const fe = err as FastifyError;
  if (fe && typeof fe.code === 'string' && FASTIFY_CODES[fe.code])
    return new TracefleetError(FASTIFY_CODES[fe.code], fe.message);
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode === 413)
    return new TracefleetError('PAYLOAD_TOO_LARGE', fe.message);
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode === 415)
    return new TracefleetError('UNSUPPORTED_MEDIA_TYPE', fe.message);
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode === 400)
    return new TracefleetError('BAD_REQUEST', fe.message);
  return toTracefleetError(err);
}

/**
 * Route-schema failures as BAD_REQUEST naming the field: a conversion or output option gets the same message
 * as from the CLI ("colors must be an integer from 2 to 64 (got "65")"), anything else ajv's.
 */
export function schemaError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const e = errors[0];
  const field = e?.instancePath.slice(1).split('/')[0] || String(e?.params?.missingProperty ?? '');
  if (dataVar === 'querystring' && (OPTION_NAMES as string[]).includes(field))
    return badOption(field as OptionName, (e as { data?: unknown }).data);
  if (dataVar === 'querystring' && (OUTPUT_OPTION_NAMES as string[]).includes(field))
    return badOutputOption(field as OutputOptionName, (e as { data?: unknown }).data);
  return new TracefleetError('BAD_REQUEST', `${dataVar}${field ? ` ${field}` : ''} ${e?.message ?? 'is invalid'}`);
}

export function registerErrorHandling(app: FastifyInstance): void {
  // Redis away or failing over: every request fails alike for a while; log that with backoff.
  const unavailable = throttledLog((fields, msg) => app.log.error(fields, msg), 'redis unavailable');
  app.setErrorHandler((err, req, reply) => {
    const e = toHttpError(err);
    if (e.code === 'UNAVAILABLE') unavailable(e.message);
    else if (e.status >= 500) req.log.error({ err, code: e.code }, e.message);
    else req.log.info({ code: e.code }, e.message);
    const message = e.status >= 500 && e.code === 'INTERNAL' ? 'internal error' : e.message;
    if (e.code === 'UNAVAILABLE' || e.code === 'UPLOAD_BUDGET_EXCEEDED') reply.header('retry-after', '5');
    return reply.status(e.status).send({ error: { code: e.code, message } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` } }),
  );
}
