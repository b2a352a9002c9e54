import http from 'node:http';

/**
 * POST with node:http. A server may answer before it has read the body (413 from Content-Length
 * alone) and then close the socket; writing the rest would race that close (EPIPE). So the body is
 * written in chunks, each only after the previous one drained, and writing stops as soon as a
 * response has arrived. (If the server closes while a chunk is in flight, the kernel may drop the
 * response with the reset: tests of early refusals pass `earlyAnswerMs`.)
 */
export function postRaw(
  url: string,
  body: Buffer,
  type = 'image/png',
  opts: { earlyAnswerMs?: number } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': type, 'content-length': body.length } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
          if (!req.writableEnded) req.destroy();
        });
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const CHUNK = 64 * 1024;
    let offset = 0;
    const pump = () => {
      while (!answered && !req.destroyed && offset < body.length) {
        const part = body.subarray(offset, offset + CHUNK);
        offset += part.length;
        if (offset >= body.length) return req.end(part);
        if (!req.write(part)) return req.once('drain', pump);
      }
      if (body.length === 0) req.end();
    };
    req.flushHeaders();
    // Give an early answer a moment to arrive before the bulk of a large body goes out; callers that
    // expect a refusal from the headers alone (413) wait long enough for a cold server to answer.
    setTimeout(pump, opts.earlyAnswerMs ?? (body.length > CHUNK ? 20 : 0));
  });
}
