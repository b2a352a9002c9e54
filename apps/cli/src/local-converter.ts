import type { Config } from '@tracefleet/config';
import { cacheSetupFrom, type CacheSetup } from '@tracefleet/cache';
import { Converter, createConversionCache, type ConversionCache } from '@tracefleet/converter';
import { ConversionPool } from '@tracefleet/pipeline';

export interface LocalConverter {
  converter: Converter;
  pool: ConversionPool;
  cache: ConversionCache;
  close(): Promise<void>;
}

/** The in-process conversion stack of the CLI commands: the configured cache tiers and a thread pool. */
export async function openLocalConverter(
  config: Config,
  opts: { cacheDir?: string; redis?: CacheSetup['redis'] },
): Promise<LocalConverter> {
  const cache = await createConversionCache({ ...cacheSetupFrom(config), cacheDir: opts.cacheDir, redis: opts.redis });
  const pool = new ConversionPool({
    threads: config.pipelineThreads,
    timeoutMs: config.jobTimeoutMs,
    limits: {
      maxInputPixels: config.maxInputPixels,
      minDimension: config.minDimension,
      maxTraceDimension: config.maxTraceDimension,
    },
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
