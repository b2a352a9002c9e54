/**
 * The process's resvg (@resvg/resvg-js), loaded after its allocator is tuned (resvg-memory.ts must
 * be evaluated first: it is this module's first import). Every runtime use of resvg imports it from here.
 */
import './resvg-memory.js';
export { Resvg, renderAsync } from '@resvg/resvg-js';
