import fs from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';

export interface PlaygroundDeps {
  /** Whether `/v1` routes require an API key: the page then shows a key field. */
  apiKeyRequired: boolean;
}

/** The page's files live in src/playground (plain HTML, JS and CSS: no build step), found from src or dist. */
const ASSET_DIR = new URL('../../src/playground/', import.meta.url);
const ASSETS: Record<string, string> = {
  'playground.js': 'text/javascript; charset=utf-8',
  'playground.css': 'text/css; charset=utf-8',
};
/**
 * Nothing but the page's own files; results are shown from blob: URLs as images (an SVG in <img> runs
 * no script), and the page talks only to this origin.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const files = new Map(
  ['index.html', ...Object.keys(ASSETS)].map((name) => [name, fs.readFileSync(new URL(name, ASSET_DIR))]),
);

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', PLAYGROUND_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer');
}

/**
 * `GET /`: the playground page (drop a logo, compare, tune, download), served by the API itself — no
 * build server, no CDN. Its option controls come from /openapi.json, so nothing here repeats them.
 */
export async function playgroundRoutes(app: FastifyInstance, deps: PlaygroundDeps): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    secured(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(files.get('index.html')),
  );

  app.get<{ Params: { file: string } }>(
    '/playground/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 64 }) }) } },
    async (req, reply) => {
      if (req.params.file === 'config.json')
        return secured(reply).header('cache-control', 'no-store').send({ apiKeyRequired: deps.apiKeyRequired });
      const type = ASSETS[req.params.file];
      if (!type) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such file' } });
      return secured(reply).header('cache-control', 'no-cache').type(type).send(files.get(req.params.file));
    },
  );
}
