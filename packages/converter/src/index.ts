export { Converter, cacheKeyFor } from './converter.js';
export { keepLocally, lookup, lookupFeatures } from './lookup.js';
export { decodeFeatures, decodeResult, encodeFeatures, encodeResult, resultEntryOf } from './entry-codec.js';
export {
  CONVERSION_CACHE_SCHEMA,
  createConversionCache,
  purgeFilterOf,
  type ConversionCache,
  type EntryMeta,
  type PurgeSelector,
} from './cache-schema.js';
export { Renditions, type Rendition } from './renditions.js';
