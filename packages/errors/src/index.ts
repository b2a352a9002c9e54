/**
 * Typed errors shared by every process. A code travels across the queue (as a BullMQ failed reason)
 * and over HTTP (as `{error:{code,message}}`), so both ends agree on what went wrong.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_READY: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_IMAGE: 422,
  IMAGE_TOO_LARGE: 422,
  IMAGE_TOO_SMALL: 422,
  IMAGE_TOO_COMPLEX: 422,
  UNSAFE_OUTPUT: 422,
  UNTRACEABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PIPELINE_FAILED: 500,
  UNAVAILABLE: 503,
  UPLOAD_BUDGET_EXCEEDED: 503,
  TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Errors caused by the input itself: retrying cannot help, and they are never cached. TIMEOUT is
 * one: the time limit counts only the conversion's own run (the pool starts the clock when a thread
 * takes it), so an image that ran out of time will run out again.
 */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_IMAGE',
  'IMAGE_TOO_LARGE',
  'IMAGE_TOO_SMALL',
  'IMAGE_TOO_COMPLEX',
  'UNSAFE_OUTPUT',
  'TIMEOUT',
  'UNTRACEABLE',
]);

export class TracefleetError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TracefleetError';
    this.code = code;
    this.status = ERROR_STATUS[code];
  }
  get permanent(): boolean {
    return PERMANENT.has(this.code);
  }
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

export function isPermanent(code: ErrorCode): boolean {
  return PERMANENT.has(code);
}

/** Wraps anything thrown into a TracefleetError, keeping typed ones as they are. */
export function toTracefleetError(err: unknown, fallback: ErrorCode = 'INTERNAL'): TracefleetError {
  if (err instanceof TracefleetError) return err;
  if (err && typeof err === 'object' && 'code' in err && isErrorCode((err as { code: unknown }).code)) {
    const e = err as { code: ErrorCode; message?: string };
    return new TracefleetError(e.code, e.message ?? e.code, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TracefleetError(fallback, message, { cause: err });
}

/**
 * A failed BullMQ job only keeps a string reason; encode the code in it as `CODE: message`
 * so the API can map it back to a status.
 */
export function encodeReason(err: TracefleetError): string {
  return `${err.code}: ${err.message}`;
}

export function decodeReason(reason: string | undefined): TracefleetError {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (m && isErrorCode(m[1])) return new TracefleetError(m[1], m[2]);
  return new TracefleetError('PIPELINE_FAILED', reason || 'job failed');
}
