import { loadConfig } from '@tracefleet/config';
import { exportCache, importCache } from '@tracefleet/cache';
import { openTiers, parseTiers } from './cache-tiers.js';

/** `tracefleet cache export <file> --tier <name>`: stream one tier into a compressed, versioned backup. */
export async function cacheExportCommand(file: string, flags: { tier: string }): Promise<number> {
  const [name, ...rest] = parseTiers(flags.tier);
  if (rest.length) throw new Error('export reads exactly one tier');
  const opened = await openTiers(loadConfig(), [name]);
  try {
    const s = await exportCache(opened.tiers[0], file);
    process.stdout.write(`exported ${s.count} entries (${s.bytes} bytes) from ${name} → ${file}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

/** `tracefleet cache import <file> --tier <names>`: restore a backup into one or more tiers. */
export async function cacheImportCommand(file: string, flags: { tier: string }): Promise<number> {
  const config = loadConfig();
  const names = parseTiers(flags.tier);
  const opened = await openTiers(config, names);
  try {
    const s = await importCache(file, opened.tiers, { defaultTtlSeconds: config.cacheTtlSeconds });
    process.stdout.write(`imported ${s.count} entries (${s.bytes} bytes) from ${file} → ${names.join(', ')}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
