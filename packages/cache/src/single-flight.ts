/**
 * Concurrent calls for one key share one run: the first starts it, the others get its promise until
 * it settles. A burst of identical lookups costs one walk down the tiers (or one conversion).
 */
export class SingleFlight<V> {
  private readonly running = new Map<string, Promise<V>>();

  run(key: string, fn: () => Promise<V>): Promise<V> {
    const current = this.running.get(key);
    if (current) return current;
    const p = fn().finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }

  get size(): number {
    return this.running.size;
  }
}
