import { DEFAULT_CODEC, encodeFrame, type Codec } from './frame.js';
import type { Meta } from './tier.js';

/**
 * An entry on its way into the tiers: the value, its metadata, and its frame (frame.ts), encoded
 * on first use and shared by every byte tier of the write — one compression per write, not one per
 * tier. Immutable.
 */
export class OutgoingEntry<M extends Meta = Meta> {
  private frames?: Map<Codec, Buffer>;

  constructor(
    readonly value: Buffer,
    readonly meta: M,
  ) {}

  frame(codec: Codec = DEFAULT_CODEC): Buffer {
    this.frames ??= new Map();
    let f = this.frames.get(codec);
    if (!f) this.frames.set(codec, (f = encodeFrame(this.value, this.meta, codec)));
    return f;
  }
}

export function entryOf<M extends Meta>(value: Buffer, meta: M): OutgoingEntry<M>;
export function entryOf(value: Buffer): OutgoingEntry<Record<string, never>>;
export function entryOf(value: Buffer, meta: Meta = {}): OutgoingEntry {
  return new OutgoingEntry(value, meta);
}
