// Redis memory of a bench fleet: INFO used_memory, and MEMORY USAGE summed per kind of key, so a
// run shows what the fleet keeps in Redis (uploads, job records, cache entries…) and how much per job.
import { execFileSync } from 'node:child_process';

const cli = (port, args, input) =>
  execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', input, maxBuffer: 256 << 20 });

export function usedMemory(port) {
  return Number(/used_memory:(\d+)/.exec(cli(port, ['info', 'memory']))[1]);
}

/** What a key is, for the breakdown (queue prefix `prefix`, cache prefix `tracefleet:cache:`). */
function kindOf(key, prefix) {
  if (key.startsWith('tracefleet:cache:')) return 'cache entries';
  if (!key.startsWith(`${prefix}:`)) return 'other';
  const rest = key.slice(prefix.length + 1);
  if (/^(img|upload):/.test(rest)) return 'uploaded images';
  if (/^uploads/.test(rest)) return 'upload accounting';
  if (
    /^convert:[^:]+$/.test(rest) &&
    !/^convert:(id|meta|events|wait|active|completed|failed|delayed|prioritized|paused|marker|stalled-check|pc)$/.test(
      rest,
    )
  )
    return 'job records';
  if (rest.startsWith('convert:')) return 'queue structures';
  if (rest.startsWith('batch:')) return 'batch records';
  return 'other';
}

/** Bytes per kind of key (MEMORY USAGE, pipelined through one redis-cli). */
export function memoryByKind(port, prefix) {
  const keys = cli(port, ['--scan']).split('\n').filter(Boolean);
  if (!keys.length) return {};
  const sizes = cli(port, [], keys.map((k) => `MEMORY USAGE "${k}"`).join('\n') + '\n')
    .split('\n')
    .filter((l) => l !== '');
  const out = {};
  keys.forEach((k, i) => {
    const kind = kindOf(k, prefix);
    out[kind] = (out[kind] ?? 0) + (Number(sizes[i]) || 0);
  });
  return out;
}

export const mb = (bytes) => (bytes / 1024 / 1024).toFixed(2);
