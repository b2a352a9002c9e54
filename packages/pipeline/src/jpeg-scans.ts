/**
 * Counts the scans (SOS segments) of a JPEG by walking its markers, without decoding. libjpeg
 * decodes every scan of a progressive JPEG over the whole coefficient buffer before libvips sees a
 * row, and nothing (sharp's `timeout` included) interrupts it: a 3 MB file of 150,000 tiny scans
 * costs minutes of CPU. Encoders write at most a few dozen scans, so a cap refuses such files for the
 * price of one pass over the bytes. Stops counting once `stopAbove` is passed.
 */
export function jpegScanCount(bytes: Uint8Array, stopAbove = Infinity): number {
  const n = bytes.length;
  let scans = 0;
  let i = 2; // after SOI
  while (i + 1 < n) {
    if (bytes[i] !== 0xff) {
      // Not at a marker (garbage between segments): resynchronise; the decoder judges the damage.
      i = bytes.indexOf(0xff, i);
      if (i < 0) break;
      continue;
    }
    const m = bytes[i + 1];
    if (m === 0xd9) break; // EOI
    // Fill bytes, TEM, RSTn and stuffed zeros stand alone.
    if (m === 0xff) {
      i++;
      continue;
    }
    if (m === 0x00 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2;
      continue;
    }
    if (i + 3 >= n) break;
    i += 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
    if (m !== 0xda) continue;
    if (++scans > stopAbove) break;
    // Entropy-coded data runs to the next marker other than a stuffed 0xFF00 or a restart marker.
    for (;;) {
      i = bytes.indexOf(0xff, i);
      if (i < 0 || i + 1 >= n) return scans;
      const next = bytes[i + 1];
      if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
      i += 2;
    }
  }
  return scans;
}
