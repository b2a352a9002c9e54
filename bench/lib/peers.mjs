// The peers of issue 3, each run from decoded pixels where its API allows (the time covers tracing
// only); the `potrace` npm port only takes encoded bytes, so its time includes its own decoding.
import { createRequire } from 'node:module';
import { vectorizeRawSync } from '@neplex/vectorizer';

const require = createRequire(import.meta.url);

let potraceWasm;
async function loadPotraceWasm() {
  if (!potraceWasm) {
    // emscripten glue probes CommonJS globals under Node (same shims as packages/pipeline).
    globalThis.require ??= require;
    globalThis.__dirname ??= '/';
    const mod = await import('esm-potrace-wasm');
    await mod.init();
    potraceWasm = mod.potrace;
  }
  return potraceWasm;
}

const ImageTracer = require('imagetracerjs');
const potraceNpm = require('potrace');

const call = (fn, ...args) => new Promise((resolve, reject) => fn(...args, (err, svg) => (err ? reject(err) : resolve(svg))));

/** name → { kinds?: kinds it runs on, run(input) → svg }. input: {bytes, width, height, data (RGBA), brandHex} */
export const PEERS = {
  vtracer: { label: 'VTracer (default colour)', run: async (i) => vectorizeRawSync(Buffer.from(i.data), { width: i.width, height: i.height }) },
  imagetracer: {
    label: 'imagetracerjs (defaults)',
    run: async (i) => ImageTracer.imagedataToSVG({ width: i.width, height: i.height, data: new Uint8ClampedArray(i.data) }, {}),
  },
  'potrace-wasm': {
    label: 'esm-potrace-wasm (defaults)',
    run: async (i) => (await loadPotraceWasm())({ width: i.width, height: i.height, data: new Uint8ClampedArray(i.data) }, {}),
  },
  'potrace-npm': {
    label: 'potrace npm, trace + fill colour',
    kinds: ['mono'],
    run: (i) => call(potraceNpm.trace, Buffer.from(i.bytes), { color: i.brandHex ?? '#000000' }),
  },
  'potrace-posterize': { label: 'potrace npm, posterize 4', run: (i) => call(potraceNpm.posterize, Buffer.from(i.bytes), { steps: 4 }) },
};

export async function warmPeers() {
  await loadPotraceWasm();
}
