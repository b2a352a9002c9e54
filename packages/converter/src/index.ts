export { Converter, cacheKeyFor } from './converter.js';
export { lookup, lookupFeatures } from './lookup.js';
export { decodeFeatures, decodeResult, encodeFeatures, encodeResult } from './entry-codec.js';
export { Renditions, type Rendition } from './renditions.js';
