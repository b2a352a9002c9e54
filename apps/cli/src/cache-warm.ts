import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '@tracefleet/config';
import { toTracefleetError } from '@tracefleet/errors';
import { optionsFromFlags } from './option-flags.js';
import { connectRedis } from './cache-tiers.js';
import { collectInputs } from './files.js';
import { openLocalConverter } from './local-converter.js';

export interface WarmFlags {
  redis?: boolean;
  json?: boolean;
}

/**
 * `tracefleet cache warm <dir>`: pre-computes every logo of a folder into the configured tiers
 * (disk, the cache Redis — CACHE_REDIS_* or REDIS_* — unless --no-redis, MongoDB when MONGO_URL is set), so the fleet answers
 * them from the cache. Already cached images cost a lookup. Exit code 1 when any file failed.
 */
export async function cacheWarmCommand(inputs: string[], flags: WarmFlags): Promise<number> {
  const config = loadConfig();
  const options = optionsFromFlags(flags as unknown as Record<string, unknown>);
  const files = await collectInputs(inputs);
  const redis =
    flags.redis === false
      ? undefined
      : await connectRedis(config).catch((err: Error) => {
          throw new Error(`${err.message} (use --no-redis to warm the local tiers only)`);
        });
  const local = await openLocalConverter(config, { cacheDir: config.cacheDir, redis });
  const { converter, pool, cache } = local;
  const tally = { converted: 0, cached: 0, failed: 0 };
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const file = files[next++];
      const started = performance.now();
      try {
        const r = await converter.convert(await fs.readFile(file), options);
        if (r.cache === 'miss') tally.converted++;
        else tally.cached++;
        if (flags.json)
          process.stdout.write(
            JSON.stringify({ file, key: r.key, cache: r.cache, ms: Math.round(performance.now() - started) }) + '\n',
          );
      } catch (err) {
        tally.failed++;
        const e = toTracefleetError(err);
        process.stderr.write(`${path.basename(file)}: ${e.code}: ${e.message}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(files.length, pool.threads * 2) }, lane));
  if (!flags.json)
    process.stdout.write(
      `warmed ${files.length} files: ${tally.converted} converted, ${tally.cached} already cached, ${tally.failed} failed (tiers: ${cache.tiers.map((t) => t.name).join(', ')})\n`,
    );
  await local.close();
  await redis?.quit().catch(() => undefined);
  return tally.failed ? 1 : 0;
}
