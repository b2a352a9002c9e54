// What every benchmark script reads the same way: where the repository and the corpus are, and its
// `--name=value` / `--flag` arguments.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared/corpus beside the repository (TRACEFLEET_SHARED overrides ../shared). */
export const corpus = process.env.TRACEFLEET_SHARED
  ? path.join(process.env.TRACEFLEET_SHARED, 'corpus')
  : path.resolve(root, '../shared/corpus');

/** `--limit=5 --json=out.json --skip-slow` → `{limit: '5', json: 'out.json', 'skip-slow': true}`. */
export const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? true];
  }),
);
