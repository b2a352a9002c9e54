/**
 * Grow-only typed arrays for synchronous passes that need big temporary buffers (SSIM integral
 * images, colour planes, flood-fill queues). Every conversion used to allocate ~15 MB of these; each
 * thread now keeps one buffer per key instead, and the collector has that much less to do.
 * Rules: a view is only valid until the next call with the same key and must not live across an
 * await (one thread runs one synchronous pass at a time); contents are stale, not zeroed.
 */
type View<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** Buffers above this stay ordinary allocations: one huge image must not pin its memory forever. */
const MAX_POOLED_BYTES = 16 << 20;
const buffers = new Map<string, ArrayBuffer>();

export function scratch<T>(key: string, Type: View<T>, length: number): T {
  const bytes = length * Type.BYTES_PER_ELEMENT;
  if (bytes > MAX_POOLED_BYTES) return new Type(new ArrayBuffer(bytes), 0, length);
  let buffer = buffers.get(key);
  if (!buffer || buffer.byteLength < bytes) {
    buffer = new ArrayBuffer(bytes);
    buffers.set(key, buffer);
  }
  return new Type(buffer, 0, length);
}
