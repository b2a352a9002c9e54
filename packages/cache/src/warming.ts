import { OutgoingEntry } from './entry.js';
import type { Layer } from './layer.js';
import type { Meta } from './tier.js';

/**
 * Fills the memory layer with the most requested entries: the hit counters of the first lower tier
 * that keeps them, each entry read through the lower layers. Returns how many entries were loaded.
 */
export async function warmMemory<M extends Meta>(
  memory: Layer<M>,
  lower: readonly Layer<M>[],
  limit: number,
): Promise<number> {
  const source = lower.find((l) => l.tier.popular);
  if (!source) return 0;
  const r = await source.guard.run('popular', () => source.tier.popular!(limit));
  if (!r.ok) return 0;
  let n = 0;
  for (const key of r.value) {
    if (await memory.tier.get(key)) continue;
    for (const l of lower) {
      const g = await l.guard.run('get', () => l.tier.get(key));
      if (g.ok && g.value) {
        await memory.set(key, new OutgoingEntry(g.value.value, g.value.meta));
        n++;
        break;
      }
    }
  }
  return n;
}
