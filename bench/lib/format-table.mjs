// The format conversion table of bench:formats and bench:quality: every SVG converted to each output
// format (packages/formats' renderFormat), best of `runs` timings after a warm run, and per format the
// median and p90 time, the median and total size, and the median time as a share of the median
// tracing time of the same run.
import { renderFormat } from '@tracefleet/formats';

/** The formats and output options measured (the label is the format and its option values). */
export const FORMATS = [
  ['svg', {}],
  ['pdf', {}],
  ['eps', {}],
  ['dxf', {}],
  ['dxf', { dxfUnits: 'mm', dpi: 300 }],
  ['png', {}],
  ['png', { size: 1024 }],
];
export const formatLabel = (f, o) => [f, ...Object.values(o)].join(' ');

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
export const fmt = (v, d = 1) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

/** A Markdown table with padded columns, as a string. */
export function markdownTable(head, rows) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(w[i])).join(' | ') + ' |';
  return [line(head), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

/** Best of `runs` timings of fn (after one warm run): the least disturbed by a shared machine. */
export async function bestOf(runs, fn) {
  let out = await fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = await fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, out };
}

/**
 * Converts every logo ({svg, …}) to every format. Returns the outputs per label
 * (`Map<label, [{logo, ms, bytes}]>`) and the table rows (`traceMedian`: ms, for the last column).
 */
export async function measureFormats(logos, { runs = 3, traceMedian, onProgress } = {}) {
  const outputs = new Map();
  for (const [i, logo] of logos.entries()) {
    for (const [f, o] of FORMATS) {
      const { ms, out } = await bestOf(runs, () => renderFormat(logo.svg, f, o));
      const key = formatLabel(f, o);
      if (!outputs.has(key)) outputs.set(key, []);
      outputs.get(key).push({ logo, ms, bytes: out.bytes });
    }
    onProgress?.(i + 1, logos.length);
  }
  const rows = [...outputs].map(([key, rs]) => {
    const ms = rs.map((r) => r.ms);
    const sizes = rs.map((r) => r.bytes.length);
    return [
      key,
      fmt(median(ms), 2),
      fmt(p90(ms), 2),
      median(sizes),
      (sizes.reduce((a, b) => a + b, 0) / 1024).toFixed(0),
      traceMedian ? `${((median(ms) / traceMedian) * 100).toFixed(1)} %` : '—',
    ];
  });
  return { outputs, rows, head: ['format', 'median ms', 'p90 ms', 'median bytes', 'total KiB', 'median vs tracing'] };
}
