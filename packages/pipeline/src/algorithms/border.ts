/**
 * Calls `visit` with the index of every pixel on the image's border: top and bottom rows, then the
 * left and right columns (corners are visited twice, as every border count here has always done).
 */
export function forEachBorderPixel(w: number, h: number, visit: (p: number) => void): void {
  for (let x = 0; x < w; x++) {
    visit(x);
    visit((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    visit(y * w);
    visit(y * w + w - 1);
  }
}
