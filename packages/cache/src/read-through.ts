import { OutgoingEntry } from './entry.js';
import type { Layer } from './layer.js';
import type { Meta, StoredValue } from './tier.js';

/**
 * Walks the layers fastest first until one has the key, then fills the layers above it with the
 * entry (promotion) without making the caller wait for them. A failing or skipped layer is passed.
 */
export async function readThrough<M extends Meta>(
  layers: readonly Layer<M>[],
  key: string,
): Promise<{ found: StoredValue<M>; layer: Layer<M> } | undefined> {
  for (let i = 0; i < layers.length; i++) {
    const found = await layers[i].get(key);
    if (!found) continue;
    if (i > 0) {
      // One frame, encoded at most once, for every byte tier promoted into.
      const entry = new OutgoingEntry(found.value, found.meta);
      for (const upper of layers.slice(0, i)) void upper.set(key, entry);
    }
    return { found, layer: layers[i] };
  }
  return undefined;
}

/** Writes one entry to every layer at once; a failing layer is counted by its guard, never fatal. */
export async function writeThrough<M extends Meta>(
  layers: readonly Layer<M>[],
  key: string,
  entry: OutgoingEntry<M>,
): Promise<void> {
  await Promise.all(layers.map((l) => l.set(key, entry)));
}
