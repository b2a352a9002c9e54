/** Decoded RGBA pixels, row-major, 4 bytes per pixel, not premultiplied. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * resvg renders premultiplied RGBA (`render().pixels`); everything here reads straight alpha. Turns
 * `data` into straight alpha in place and returns it. Only partly transparent pixels change: read as
 * straight, an antialiased edge over transparency would look darker than it is.
 */
export function unpremultiply(data: Uint8Array): Uint8Array {
  for (let i = 3; i < data.length; i += 4) {
    const a = data[i];
    if (a === 0 || a === 255) continue;
    const k = 255 / a;
    data[i - 3] = Math.min(255, Math.round(data[i - 3] * k));
    data[i - 2] = Math.min(255, Math.round(data[i - 2] * k));
    data[i - 1] = Math.min(255, Math.round(data[i - 1] * k));
  }
  return data;
}
