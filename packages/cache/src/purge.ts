import type { Layer } from './layer.js';
import type { Meta, PurgeFilter } from './tier.js';

/** Purges every layer at once; the count of dropped entries per tier, or `error` for a tier that failed. */
export async function purgeLayers<M extends Meta>(
  layers: readonly Layer<M>[],
  filter: PurgeFilter,
): Promise<Record<string, number | 'error'>> {
  const out: Record<string, number | 'error'> = {};
  await Promise.all(
    layers.map(async (l) => {
      const r = await l.guard.run('purge', () => l.tier.purge(filter));
      out[l.name] = r.ok ? r.value : 'error';
    }),
  );
  return out;
}

export async function deleteFromLayers<M extends Meta>(layers: readonly Layer<M>[], key: string): Promise<void> {
  await Promise.all(layers.map((l) => l.guard.run('delete', () => l.tier.delete(key))));
}
