// The peers of issue 3, each run from decoded pixels where its API allows (the time covers tracing
// only); the `potrace` npm port only takes encoded bytes, so its time includes its own decoding.
// Libraries load on first use: each contestant runs in a worker thread of its own (contestants.mjs)
// and loads only what it needs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const once = (load) => {
  let p;
  return () => (p ??= load());
};

const potraceWasm = once(async () => {
  // emscripten glue probes CommonJS globals under Node (same shims as packages/pipeline).
  globalThis.require ??= require;
  globalThis.__dirname ??= '/';
  const mod = await import('esm-potrace-wasm');
  await mod.init();
  return mod.potrace;
});
const vectorizer = once(() => import('@neplex/vectorizer'));
const imageTracer = once(() => require('imagetracerjs'));
const potraceNpm = once(() => require('potrace'));

const call = (fn, ...args) =>
  new Promise((resolve, reject) => fn(...args, (err, svg) => (err ? reject(err) : resolve(svg))));

/** name → { kinds?: kinds it runs on, load(), run(input) → svg }. input: {bytes, width, height, data (RGBA), brandHex} */
export const PEERS = {
  vtracer: {
    label: 'VTracer (default colour)',
    load: vectorizer,
    run: async (i) => (await vectorizer()).vectorizeRawSync(Buffer.from(i.data), { width: i.width, height: i.height }),
  },
  imagetracer: {
    label: 'imagetracerjs (defaults)',
    load: imageTracer,
    run: async (i) =>
      imageTracer().imagedataToSVG({ width: i.width, height: i.height, data: new Uint8ClampedArray(i.data) }, {}),
  },
  'potrace-wasm': {
    label: 'esm-potrace-wasm (defaults)',
    load: potraceWasm,
    run: async (i) =>
      (await potraceWasm())({ width: i.width, height: i.height, data: new Uint8ClampedArray(i.data) }, {}),
  },
  'potrace-npm': {
    label: 'potrace npm, trace + fill colour',
    kinds: ['mono'],
    load: potraceNpm,
    run: (i) => call(potraceNpm().trace, Buffer.from(i.bytes), { color: i.brandHex ?? '#000000' }),
  },
  'potrace-posterize': {
    label: 'potrace npm, posterize 4',
    load: potraceNpm,
    run: (i) => call(potraceNpm().posterize, Buffer.from(i.bytes), { steps: 4 }),
  },
};
