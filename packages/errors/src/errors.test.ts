import { describe, expect, it } from 'vitest';
import { TracefleetError, decodeReason, encodeReason, toTracefleetError } from './index.js';

describe('errors', () => {
  it('maps codes to statuses and permanence', () => {
    const e = new TracefleetError('INVALID_IMAGE', 'bad');
    expect(e.status).toBe(422);
    expect(e.permanent).toBe(true);
    expect(new TracefleetError('UNAVAILABLE', 'down').permanent).toBe(false);
    // Deterministic cost limits fail at once: a retry would cost the same again.
    expect(new TracefleetError('TIMEOUT', 'slow').permanent).toBe(true);
    expect(new TracefleetError('IMAGE_TOO_COMPLEX', 'noise').status).toBe(422);
    expect(new TracefleetError('IMAGE_TOO_COMPLEX', 'noise').permanent).toBe(true);
    // A lost logo is deterministic for the same bytes: a retry cannot recover it.
    expect(new TracefleetError('UNTRACEABLE', 'lost').status).toBe(422);
    expect(new TracefleetError('UNTRACEABLE', 'lost').permanent).toBe(true);
  });
  it('round-trips through a job failure reason', () => {
    const e = decodeReason(encodeReason(new TracefleetError('IMAGE_TOO_LARGE', 'too: many pixels')));
    expect(e.code).toBe('IMAGE_TOO_LARGE');
    expect(e.message).toBe('too: many pixels');
    expect(decodeReason('something odd').code).toBe('PIPELINE_FAILED');
  });
  it('wraps unknown errors', () => {
    expect(toTracefleetError(new Error('x')).code).toBe('INTERNAL');
    expect(toTracefleetError({ code: 'TIMEOUT', message: 'slow' }).code).toBe('TIMEOUT');
  });
});
