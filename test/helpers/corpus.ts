import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared beside the repository, in development and in CI alike. */
export const SHARED = process.env.TRACEFLEET_SHARED ?? path.resolve(REPO_ROOT, '../shared');
export const CORPUS = path.join(SHARED, 'corpus');

export interface CorpusFile {
  file: string;
  kind: 'mono' | 'colour' | 'flag' | 'raster';
  width: number;
  height: number;
}

export function corpusManifest(): CorpusFile[] {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).files;
}

export function badManifest(): Array<{ file: string; description: string }> {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'bad', 'manifest.json'), 'utf8')).files;
}
