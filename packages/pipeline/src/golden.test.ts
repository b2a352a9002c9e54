import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { convertImage } from './pipeline.js';
import { DEFAULT_LIMITS, type ConvertOptions } from './options.js';
import { FEATURES_VERSION } from './features.js';
import { PIPELINE_VERSION } from './version.js';
import { CORPUS } from './fixtures.testkit.js';

/**
 * Golden outputs: the hash of every corpus SVG and its exact scores, per pipeline version. A change
 * that claims "identical output" is checked here; a change that alters output must bump
 * PIPELINE_VERSION (which changes every cache key) and rewrite the file on purpose:
 *   UPDATE_GOLDEN=1 pnpm exec vitest run --project packages/pipeline golden
 */
const GOLDEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden/corpus.json');

interface GoldenEntry {
  svg: string;
  /** Hash of the extracted features (cached on their own under FEATURES_VERSION). */
  features: string;
  bytes: number;
  paths: number;
  logoType: string;
  ssim: number;
  ssimGrey: number;
  badPixelShare: number;
}

interface GoldenFile {
  pipelineVersion: string;
  featuresVersion: string;
  entries: Record<string, GoldenEntry>;
}

/** Every corpus logo with default options; every tenth also as mono and with a 4-colour cap. */
function cases(): Array<{ id: string; file: string; options: ConvertOptions }> {
  const files = fs
    .readdirSync(CORPUS)
    .filter((f) => f.endsWith('.png'))
    .sort();
  const out = files.map((file) => ({ id: `${file} auto`, file, options: { mode: 'auto' } as ConvertOptions }));
  files.forEach((file, i) => {
    if (i % 10 !== 0) return;
    out.push({ id: `${file} mono`, file, options: { mode: 'mono' } });
    out.push({ id: `${file} color.4`, file, options: { mode: 'color', colors: 4 } });
  });
  return out;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

describe('golden outputs', () => {
  it('every corpus SVG and score is what the golden file records for this pipeline version', async () => {
    const actual: GoldenFile = { pipelineVersion: PIPELINE_VERSION, featuresVersion: FEATURES_VERSION, entries: {} };
    for (const c of cases()) {
      const r = await convertImage(fs.readFileSync(path.join(CORPUS, c.file)), c.options, DEFAULT_LIMITS);
      const q = r.meta.quality;
      actual.entries[c.id] = {
        svg: sha(r.svg),
        features: sha(JSON.stringify(r.features)),
        bytes: r.meta.bytes,
        paths: r.meta.paths,
        logoType: r.meta.logoType,
        ssim: q.ssim,
        ssimGrey: q.ssimGrey,
        badPixelShare: q.badPixelShare,
      };
    }
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
      fs.writeFileSync(GOLDEN, JSON.stringify(actual, null, 1) + '\n');
      return;
    }
    const expected = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as GoldenFile;
    const changed = Object.keys({ ...expected.entries, ...actual.entries }).filter(
      (id) => JSON.stringify(expected.entries[id]) !== JSON.stringify(actual.entries[id]),
    );
    const detail = changed
      .slice(0, 10)
      .map((id) => `${id}: ${JSON.stringify(expected.entries[id])} → ${JSON.stringify(actual.entries[id])}`);
    if (expected.pipelineVersion === PIPELINE_VERSION && expected.featuresVersion === FEATURES_VERSION) {
      // Same versions: output must be identical, or the version must be bumped (stale cache entries otherwise).
      expect(
        changed,
        `output changed without a PIPELINE_VERSION (or FEATURES_VERSION) bump:\n${detail.join('\n')}`,
      ).toEqual([]);
    } else {
      expect.fail(
        `versions are pipeline ${PIPELINE_VERSION}, features ${FEATURES_VERSION}; the golden file records ${expected.pipelineVersion}, ${expected.featuresVersion}: rewrite it with UPDATE_GOLDEN=1 (${changed.length} entries differ)`,
      );
    }
  }, 300_000);
});
