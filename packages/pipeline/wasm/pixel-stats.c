/*
 * src/algorithms/pixel-stats.ts's pass over the pixels, in C: the most expensive loop of feature
 * extraction (≈ 5–6 ns per pixel in JavaScript). Reads RGBA from buffer TF_IMAGE, writes the flat
 * mask (1 = flat) to buffer TF_FLAT and the counts to tf_pixel_counts(): edges, opaque, gentle, flat.
 * Each pixel is compared with its right and lower neighbour; the steps of the row above and of the
 * pixel to the left are carried along. See the TypeScript side for what each count means.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buffers.h"

static uint32_t counts[4];

__attribute__((export_name("tf_pixel_counts"))) uint32_t *tf_pixel_counts(void)
{
  return counts;
}

static inline int absdiff(int a, int b)
{
  return a > b ? a - b : b - a;
}
static inline int max3(int a, int b, int c)
{
  int m = a > b ? a : b;
  return m > c ? m : c;
}

/* Returns 0 on success, -1 when a buffer is missing or too small. */
__attribute__((export_name("tf_pixel_stats"))) int tf_pixel_stats(int w, int h, int flat_tol, int alpha_threshold,
                                                                  int smooth_tol)
{
  size_t n = (size_t)w * (size_t)h;
  const uint8_t *d = tf_buffer(TF_IMAGE, 0);
  uint8_t *flat = tf_buffer(TF_FLAT, 0);
  if (!d || !flat || tf_buffer_size(TF_IMAGE) < n * 4 || tf_buffer_size(TF_FLAT) < n)
    return -1;
  const uint32_t *px = (const uint32_t *)d;
  uint8_t *up_rgb = malloc((size_t)w * 2);
  if (!up_rgb)
    return -1;
  uint8_t *up_step = up_rgb + w;
  memset(up_rgb, 0, (size_t)w * 2);
  memset(flat, 0, n);
  const int T = alpha_threshold;
  uint32_t edges = 0, opaque = 0, gentle = 0, flat_count = 0;
  size_t p = 0;
  for (int y = 0; y < h; y++)
  {
    const int last_row = y == h - 1;
    int left_rgb = 255, left_step = 0;
    for (int x = 0; x < w; x++, p++)
    {
      const size_t i = p * 4;
      const uint32_t word = px[p];
      if (left_step == 0 && up_step[x] == 0 && x < w - 1 && !last_row && px[p + 1] == word && px[p + w] == word)
      {
        if (d[i + 3] >= T)
        {
          opaque++;
          flat[p] = 1;
          flat_count++;
        }
        left_rgb = 0;
        up_rgb[x] = 0;
        continue;
      }
      const int a = d[i + 3];
      int r_rgb = 255, r_step = 0, d_rgb = 255, d_step = 0;
      if (x < w - 1)
      {
        if (px[p + 1] == word)
          r_rgb = 0;
        else
        {
          r_rgb = max3(absdiff(d[i], d[i + 4]), absdiff(d[i + 1], d[i + 5]), absdiff(d[i + 2], d[i + 6]));
          const int da = absdiff(a, d[i + 7]);
          r_step = r_rgb > da ? r_rgb : da;
        }
      }
      if (!last_row)
      {
        const size_t j = i + (size_t)w * 4;
        if (px[p + w] == word)
          d_rgb = 0;
        else
        {
          d_rgb = max3(absdiff(d[i], d[j]), absdiff(d[i + 1], d[j + 1]), absdiff(d[i + 2], d[j + 2]));
          const int da = absdiff(a, d[j + 3]);
          d_step = d_rgb > da ? d_rgb : da;
        }
      }
      if ((r_step > d_step ? r_step : d_step) > 48)
        edges++;
      if (a >= T)
      {
        opaque++;
        if (a == 255)
        {
          const int mx = max3(r_step, d_step, left_step > up_step[x] ? left_step : up_step[x]);
          if (mx > 0 && mx <= smooth_tol)
            gentle++;
        }
        if ((x == 0 || (left_rgb <= flat_tol && d[i - 1] >= T)) &&
            (x == w - 1 || (r_rgb <= flat_tol && d[i + 7] >= T)) &&
            (y == 0 || (up_rgb[x] <= flat_tol && d[i - (size_t)w * 4 + 3] >= T)) &&
            (last_row || (d_rgb <= flat_tol && d[i + (size_t)w * 4 + 3] >= T)))
        {
          flat[p] = 1;
          flat_count++;
        }
      }
      left_rgb = r_rgb;
      left_step = r_step;
      up_rgb[x] = (uint8_t)d_rgb;
      up_step[x] = (uint8_t)d_step;
    }
  }
  free(up_rgb);
  counts[0] = edges;
  counts[1] = opaque;
  counts[2] = gentle;
  counts[3] = flat_count;
  return 0;
}
