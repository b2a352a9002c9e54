import sharp from 'sharp';

/**
 * Small distinct logos for fault and load tests: a flat background square and two coloured shapes
 * whose colours and positions derive from `i`, so every index gives different bytes (a different
 * job) that still trace quickly.
 */
export async function syntheticLogo(i: number, size = 48): Promise<Buffer> {
  const data = Buffer.alloc(size * size * 4);
  const c1 = [(i * 37) % 256, (i * 91 + 60) % 256, (i * 53 + 120) % 256];
  const c2 = [255 - c1[0], (c1[1] + 128) % 256, (i * 17) % 256];
  const x0 = 4 + (i % 13);
  const y0 = 4 + (Math.floor(i / 13) % 13);
  const r = 8 + (Math.floor(i / 169) % 8);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4;
      let c: number[] | undefined;
      if (x >= x0 && x < x0 + 20 && y >= y0 && y < y0 + 14) c = c1;
      if ((x - size * 0.65) ** 2 + (y - size * 0.6) ** 2 < r * r) c = c2;
      if (!c) continue;
      data[o] = c[0];
      data[o + 1] = c[1];
      data[o + 2] = c[2];
      data[o + 3] = 255;
    }
  }
  return sharp(data, { raw: { width: size, height: size, channels: 4 } })
    .png()
    .toBuffer();
}
