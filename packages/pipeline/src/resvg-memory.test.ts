import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** The purge delay resvg's mimalloc reports at load, in a fresh process that imports the built pipeline. */
function purgeDelay(operator?: string): string | undefined {
  const env: NodeJS.ProcessEnv = { ...process.env, MIMALLOC_VERBOSE: '1' };
  delete env.MIMALLOC_PURGE_DELAY; // this process may have set it by loading the pipeline itself
  if (operator !== undefined) env.MIMALLOC_PURGE_DELAY = operator;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(built)})`], {
    env,
    encoding: 'utf8',
  });
  return /option 'purge_delay': (-?\d+)/.exec(`${r.stderr}${r.stdout}`)?.[1];
}

describe('resvg-memory.ts: resvg’s allocator keeps freed canvases for a second', () => {
  it('is set before the addon loads (mimalloc itself reports it), and an operator’s value wins', () => {
    expect(purgeDelay()).toBe('1000');
    expect(purgeDelay('25')).toBe('25');
  });
});
