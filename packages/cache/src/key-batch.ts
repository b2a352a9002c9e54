/**
 * Collects items and hands them over in batches: when `maxItems` are waiting, or `windowMs` after the
 * first one of a batch. A burst of thousands of evictions becomes a few messages, a lone one waits
 * at most the window. Repeated keys in one batch are sent once.
 */
export class KeyBatch<T> {
  private items = new Map<string, T>();
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly send: (batch: Map<string, T>) => Promise<void> | void,
    private readonly opts: { windowMs: number; maxItems: number },
  ) {}

  add(key: string, item: T): void {
    if (this.closed) return;
    this.items.set(key, item);
    if (this.items.size >= this.opts.maxItems) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.opts.windowMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.items.size) return;
    const batch = this.items;
    this.items = new Map();
    await this.send(batch);
  }

  /** Sends what is waiting and takes nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
