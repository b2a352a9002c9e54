/**
 * The pixels of RGBA bytes as one signed 32-bit word each (equal words = equal RGBA; signed so V8
 * keeps them small integers), copying only when the bytes are not 4-byte aligned.
 */
export function pixelWords(d: Uint8Array): Int32Array {
  if (d.byteOffset % 4 === 0) return new Int32Array(d.buffer, d.byteOffset, d.length >> 2);
  return new Int32Array(d.slice().buffer, 0, d.length >> 2);
}
