import type { IncomingHttpHeaders } from 'node:http';

/** A client's `X-Request-Id` is kept when it is a plausible id; anything else (too long, odd bytes) is replaced. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && CLIENT_ID.test(given) ? given : crypto.randomUUID();
}
