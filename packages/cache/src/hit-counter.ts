import type { Layer } from './layer.js';
import { labelOf, type Meta, type PurgeFilter } from './tier.js';

/**
 * Counts hits per key in this process and writes them, batched, to the tiers that keep hit counters
 * (warming reads them): every `flushMs` (0 = only when flushed explicitly or on close).
 */
export class HitCounter<M extends Meta = Meta> {
  private pending = new Map<string, { n: number; meta: M }>();
  private readonly timer?: NodeJS.Timeout;
  private readonly keepers: readonly Layer<M>[];

  constructor(layers: readonly Layer<M>[], flushMs = 5000) {
    this.keepers = layers.filter((l) => l.tier.recordHits);
    if (flushMs && this.keepers.length) {
      this.timer = setInterval(() => void this.flush(), flushMs);
      this.timer.unref();
    }
  }

  note(key: string, meta: M): void {
    const h = this.pending.get(key);
    if (h) h.n++;
    else this.pending.set(key, { n: 1, meta });
  }

  /**
   * Drops the pending hits a purge or delete covers: written after the purge, they would bring back
   * the counters it removed (a hit counted here before a purge-all, flushed after it).
   */
  forget(filter: PurgeFilter): void {
    if ('all' in filter) this.pending.clear();
    else if ('key' in filter) this.pending.delete(filter.key);
    else
      for (const [key, h] of this.pending) if (labelOf(h.meta, filter.label) === filter.value) this.pending.delete(key);
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const hits = this.pending;
    this.pending = new Map();
    await Promise.all(this.keepers.map((l) => l.guard.run('hits', () => l.tier.recordHits!(hits))));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }
}
