import { pipelineLimits, type Config } from '@tracefleet/config';
import { cacheSetupFrom, createCache, type CacheSetup, type LayeredCache } from '@tracefleet/cache';
import { Converter } from '@tracefleet/converter';
import { ConversionPool } from '@tracefleet/pipeline';

export interface LocalConverter {
  converter: Converter;
  pool: ConversionPool;
  cache: LayeredCache;
  close(): Promise<void>;
}

/** The in-process conversion stack of the CLI commands: the configured cache tiers and a thread pool. */
export async function openLocalConverter(
  config: Config,
  opts: { cacheDir?: string; redis?: CacheSetup['redis'] },
): Promise<LocalConverter> {
  const cache = await createCache({ ...cacheSetupFrom(config), cacheDir: opts.cacheDir, redis: opts.redis });
  const pool = new ConversionPool({
    threads: config.pipelineThreads,
    timeoutMs: config.jobTimeoutMs,
    limits: pipelineLimits(config),
  });
  return {
    converter: new Converter(cache, pool),
    pool,
    cache,
    async close() {
      await pool.close();
      await cache.close();
    },
  };
}
