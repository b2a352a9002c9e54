import { imageHashOf, imageKeysGlob, parseKey } from '@tracefleet/contract';
import { createCache, type CacheSchema, type CacheSetup, type LayeredCache, type PurgeFilter } from '@tracefleet/cache';

/**
 * What this service keeps beside each cache entry. Opaque to the cache, except for its two labels,
 * which the tiers index so an admin can purge by them: the image hash (every entry) and the
 * pipeline's logo type (results).
 */
export interface EntryMeta {
  imageHash: string;
  logoType?: string;
  /** Quality metadata kept queryable in the durable tier. */
  quality?: Record<string, number>;
}

export type ConversionCache = LayeredCache<EntryMeta>;

/**
 * How the indexing tiers index `EntryMeta`. Redis: a set of keys per logo type (`…type:<logoType>`,
 * whose hits are also counted per type), the image hash read from the key itself. MongoDB: results
 * and features in their own collections, with the labels, the key's version and options, and the
 * quality as queryable fields.
 */
export const CONVERSION_CACHE_SCHEMA: CacheSchema<EntryMeta> = {
  redis: {
    sets: { logoType: 'type' },
    keyGlobs: { imageHash: imageKeysGlob },
    hitsBy: { label: 'logoType', segment: 'type' },
  },
  mongo: {
    collections: ['results', 'features'],
    collectionOf: (key) => (parseKey(key)?.kind === 'features' ? 'features' : 'results'),
    fields: (key, meta) => {
      const k = parseKey(key);
      return {
        version: k?.version ?? '',
        imageHash: meta.imageHash ?? imageHashOf(key),
        ...(k?.options ? { options: k.options } : {}),
        ...(meta.logoType ? { logoType: meta.logoType } : {}),
        ...(meta.quality ? { quality: meta.quality } : {}),
      };
    },
    labels: ['imageHash', 'logoType'],
    hitsBy: 'logoType',
    popularFrom: 'results',
  },
};

/** The standard tier stack (createCache) for conversion results and features. */
export function createConversionCache(setup: Omit<CacheSetup<EntryMeta>, 'schema'>): Promise<ConversionCache> {
  return createCache<EntryMeta>({ ...setup, schema: CONVERSION_CACHE_SCHEMA });
}

/** What an admin purge selects (`POST /admin/cache/purge`): exactly one of these. */
export type PurgeSelector = { key: string } | { imageHash: string } | { logoType: string } | { all: true };

/** The cache's filter of an admin selector: image hash and logo type are labels of `EntryMeta`. */
export function purgeFilterOf(s: PurgeSelector): PurgeFilter {
  if ('imageHash' in s) return { label: 'imageHash', value: s.imageHash };
  if ('logoType' in s) return { label: 'logoType', value: s.logoType };
  return s;
}
