// Each contestant of bench:quality runs in a worker thread of its own: its own heap, so one
// contestant's garbage (the JS peers allocate hundreds of MB per image) is never collected inside
// another's measurement — in production tracefleet's pipeline has its worker threads to itself too.
// The main thread still runs them one at a time, so machine noise hits all of them alike.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

// tracefleet's time is decoded image → SVG: every stage it reports except decoding and scoring.
const STAGES_NOT_TRACING = new Set(['decode', 'score', 'retryScore', 'total']);

async function contestant(name) {
  // `tracefleet` runs the defaults; `tracefleet?stacking=cutout` the options of its query string.
  if (name.startsWith('tracefleet')) {
    const { convertImage, DEFAULT_LIMITS, normalizeOptions } = await import('@tracefleet/pipeline');
    const options = normalizeOptions(Object.fromEntries(new URLSearchParams(name.split('?')[1] ?? '')));
    return async (input) => {
      const r = await convertImage(input.bytes, options, DEFAULT_LIMITS);
      const ms = Object.entries(r.meta.timings)
        .filter(([k]) => !STAGES_NOT_TRACING.has(k))
        .reduce((a, [, v]) => a + v, 0);
      return { svg: r.svg, ms, jobMs: r.meta.timings.total, logoType: r.meta.logoType, gradients: r.meta.gradients };
    };
  }
  const { PEERS } = await import('./peers.mjs');
  await PEERS[name].load();
  return PEERS[name].run;
}

if (!isMainThread && workerData?.contestant) {
  const run = await contestant(workerData.contestant);
  parentPort.on('message', async ({ id, input }) => {
    try {
      const t = performance.now();
      const out = await run(input);
      const ms = performance.now() - t;
      const svg = typeof out === 'string' ? out : out.svg;
      parentPort.postMessage({
        id,
        ok: true,
        svg,
        ms: typeof out === 'string' ? ms : out.ms,
        jobMs: out.jobMs,
        logoType: out.logoType,
        gradients: out.gradients,
      });
    } catch (err) {
      parentPort.postMessage({ id, ok: false, error: String(err?.message ?? err).slice(0, 120) });
    }
  });
  parentPort.postMessage({ ready: true });
}

/** Starts a contestant's worker; `run(input)` resolves with {ok, svg, ms, …} or {ok: false, error}. */
export async function startContestant(name) {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { contestant: name } });
  const pending = new Map();
  let next = 0;
  await new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m) => {
      if (m.ready) return resolve();
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    });
  });
  return {
    run: (input) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        worker.postMessage({ id, input });
      }),
    stop: () => worker.terminate(),
  };
}
