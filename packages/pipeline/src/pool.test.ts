import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './options.js';
import { ConversionPool } from './pool.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');

describe('conversion pool (worker threads)', () => {
  const pool = new ConversionPool({ threads: 2, limits: DEFAULT_LIMITS, timeoutMs: 30_000 });
  afterAll(() => pool.close());

  it('converts off the main thread and keeps the event loop free', async () => {
    const bytes = fs.readFileSync(path.join(CORPUS, 'dev-flag-us.png'));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const r = await pool.convert(bytes, { mode: 'auto' });
    clearInterval(timer);
    expect(r.svg).toMatch(/^<svg/);
    expect(ticks).toBeGreaterThan(3);
  });

  it('returns typed errors from threads', async () => {
    await expect(pool.convert(Buffer.from('nope'), { mode: 'auto' })).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
  });

  it('stops a conversion that exceeds the time limit', async () => {
    const tiny = new ConversionPool({ threads: 1, limits: DEFAULT_LIMITS, timeoutMs: 1 });
    const bytes = fs.readFileSync(path.join(CORPUS, 'dev-flag-gb-wls.png'));
    await expect(tiny.convert(bytes, { mode: 'auto' })).rejects.toMatchObject({ code: 'TIMEOUT' });
    await tiny.close();
  });
});
