import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { TracefleetError } from '@tracefleet/errors';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'];

/** Raw image bodies arrive as Buffers; multipart uploads carry the image in field `file`. */
export async function registerImageBody(app: FastifyInstance, maxBodyBytes: number): Promise<void> {
  app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_req, body, done) =>
    done(null, body),
  );
  await app.register(multipart, { limits: { fileSize: maxBodyBytes, files: 1, fields: 10, parts: 20 } });
}

/**
 * Runs a read of a multipart body: the parser (busboy) throws plain Errors for a malformed body (no
 * boundary, a truncated part…), which are the client's fault: 400, not 500.
 */
export async function readingMultipart<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TracefleetError || typeof (err as { code?: unknown }).code === 'string') throw err;
    throw new TracefleetError('BAD_REQUEST', `malformed multipart body: ${(err as Error).message}`, { cause: err });
  }
}

/** The uploaded image, however it was sent. */
export async function readImage(req: FastifyRequest): Promise<Buffer> {
  if (req.isMultipart()) return readingMultipart(() => readFilePart(req));
  if (!Buffer.isBuffer(req.body)) {
    throw new TracefleetError(
      'UNSUPPORTED_MEDIA_TYPE',
      `send the image as ${IMAGE_TYPES.join(', ')} or multipart/form-data field "file"`,
    );
  }
  return req.body;
}

async function readFilePart(req: FastifyRequest): Promise<Buffer> {
  const part = await req.file();
  if (!part) throw new TracefleetError('BAD_REQUEST', 'multipart body has no file');
  if (part.fieldname !== 'file')
    throw new TracefleetError('BAD_REQUEST', `expected the image in multipart field "file", got "${part.fieldname}"`);
  const buf = await part.toBuffer();
  if (part.file.truncated) throw new TracefleetError('PAYLOAD_TOO_LARGE', 'uploaded file is larger than the limit');
  return buf;
}
