/**
 * The client behaviour the README documents: `503` (Redis away, failing over) → try again after a
 * pause; `202` (still running after the wait) → submit again, which joins the same job (its id is
 * derived from the image and options) or answers from the cache once it is done.
 */
export async function convertUntilDone(
  baseUrl: string,
  bytes: Buffer,
  { pauseMs = 250, timeoutMs = 150_000, headers = {} as Record<string, string> } = {},
): Promise<{ svg: string; attempts: number; statuses: number[] }> {
  const end = Date.now() + timeoutMs;
  const statuses: number[] = [];
  while (Date.now() < end) {
    const res = await fetch(`${baseUrl}/v1/convert`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', ...headers },
      body: new Uint8Array(bytes),
      signal: AbortSignal.timeout(60_000),
    }).catch(() => undefined);
    const status = res?.status ?? 0;
    statuses.push(status);
    const body = (await res?.text().catch(() => '')) ?? '';
    if (status === 200) return { svg: body, attempts: statuses.length, statuses };
    if (status !== 503 && status !== 202 && status !== 0)
      throw new Error(`convert answered ${status}: ${body.slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(`no SVG within ${timeoutMs} ms (answers: ${statuses.join(',')})`);
}

/** warn/error lines (pino levels 40 and 50) a process has written. */
export const problemLines = (logs: readonly string[]) =>
  logs
    .join('')
    .split('\n')
    .filter((l) => /"level":(40|50)/.test(l));
