import http from 'node:http';

/**
 * POST with node:http so a response sent before the whole body is written (413 on an oversized
 * upload, after which the server closes the socket) is still read instead of surfacing as EPIPE.
 */
export function postRaw(url: string, body: Buffer, type = 'image/png'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: 'POST', headers: { 'content-type': type, 'content-length': body.length } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(body);
  });
}
