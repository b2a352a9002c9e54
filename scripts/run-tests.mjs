// Runs vitest over every project and ends with a plain `N passed, N failed, N skipped` line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-vitest-')), 'results.json');
const args = [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${out}`,
  ...process.argv.slice(2),
];
const r = spawnSync('pnpm', args, { stdio: 'inherit' });
let summary = 'tests: 0 passed, 1 failed';
try {
  const j = JSON.parse(fs.readFileSync(out, 'utf8'));
  summary = `tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests + j.numTodoTests} skipped`;
} catch {
  /* no report: vitest itself failed */
}
console.log(summary);
process.exit(r.status ?? 1);
