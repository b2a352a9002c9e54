/*
 * The per-pixel passes of src/algorithms/gradients.ts: the flood fill of smooth regions and, for the
 * few regions large and wide enough to be fitted, the region's moments, each pixel's position along a
 * candidate gradient, and the binned fit's sums and error. Reads RGBA from TF_IMAGE. Every sum runs in
 * the TypeScript's order with the same operations (-ffp-contract=off), so each fit is the same to the
 * bit; the TypeScript keeps the decisions (least squares, stops, confidence).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buffers.h"

#define SMOOTH_TOL 4
#define BINS 12

static double io[4 + BINS * 4];
static int32_t region_length;

__attribute__((export_name("tf_gradient_io"))) double *tf_gradient_io(void)
{
  return io;
}

static inline int smooth(const uint8_t *d, size_t i, size_t j)
{
  return d[j + 3] >= 250 && abs(d[i] - d[j]) <= SMOOTH_TOL && abs(d[i + 1] - d[j + 1]) <= SMOOTH_TOL &&
         abs(d[i + 2] - d[j + 2]) <= SMOOTH_TOL;
}

/* Clears the visited flags of a w × h image (before a new scan); -1 when memory runs out. */
__attribute__((export_name("tf_smooth_reset"))) int tf_smooth_reset(int w, int h)
{
  size_t n = (size_t)w * h;
  uint8_t *visited = tf_buffer(TF_SMOOTH_VISITED, n);
  if (!visited || !tf_buffer(TF_SMOOTH_QUEUE, n * 4))
    return -1;
  memset(visited, 0, n);
  return 0;
}

/* Breadth-first flood of the smooth region holding `start` into TF_SMOOTH_QUEUE; returns its length. */
__attribute__((export_name("tf_smooth_flood"))) int tf_smooth_flood(int w, int h, int start)
{
  const uint8_t *d = tf_buffer(TF_IMAGE, 0);
  uint8_t *visited = tf_buffer(TF_SMOOTH_VISITED, 0);
  int32_t *queue = (int32_t *)tf_buffer(TF_SMOOTH_QUEUE, 0);
  int32_t head = 0, tail = 0;
  queue[tail++] = start;
  visited[start] = 1;
  while (head < tail)
  {
    const int32_t p = queue[head++];
    const int32_t x = p % w, y = p / w;
    const size_t i = (size_t)p * 4;
    if (x > 0 && !visited[p - 1] && smooth(d, i, i - 4))
      visited[p - 1] = 1, queue[tail++] = p - 1;
    if (x < w - 1 && !visited[p + 1] && smooth(d, i, i + 4))
      visited[p + 1] = 1, queue[tail++] = p + 1;
    if (y > 0 && !visited[p - w] && smooth(d, i, i - (size_t)w * 4))
      visited[p - w] = 1, queue[tail++] = p - w;
    if (y < h - 1 && !visited[p + w] && smooth(d, i, i + (size_t)w * 4))
      visited[p + w] = 1, queue[tail++] = p + w;
  }
  return region_length = tail;
}

/* The length of the region the last flood found. */
__attribute__((export_name("tf_smooth_length"))) int tf_smooth_length(void)
{
  return region_length;
}

/*
 * Scans from pixel `from` for the next opaque, unvisited pixel, floods its region, and returns the
 * first one whose region has at least min_size pixels (the region is in TF_SMOOTH_QUEUE), or -1.
 */
__attribute__((export_name("tf_smooth_next"))) int tf_smooth_next(int w, int h, int from, double min_size)
{
  const uint8_t *d = tf_buffer(TF_IMAGE, 0);
  const uint8_t *visited = tf_buffer(TF_SMOOTH_VISITED, 0);
  const int n = w * h;
  for (int p = from; p < n; p++)
  {
    if (visited[p] || d[(size_t)p * 4 + 3] < 250)
      continue;
    if (tf_smooth_flood(w, h, p) >= min_size)
      return p;
  }
  return -1;
}

/*
 * The last region's colour sums' mean error (io[0]: Σ over pixels and channels of (value − mean)²)
 * and its centre sums over every step-th pixel (io[1]: Σ x, io[2]: Σ y).
 */
__attribute__((export_name("tf_region_moments"))) void tf_region_moments(int w, int step)
{
  const uint8_t *d = tf_buffer(TF_IMAGE, 0);
  const int32_t *pix = (const int32_t *)tf_buffer(TF_SMOOTH_QUEUE, 0);
  const int32_t len = region_length;
  double s0 = 0, s1 = 0, s2 = 0;
  for (int32_t k = 0; k < len; k++)
  {
    const size_t i = (size_t)pix[k] * 4;
    s0 += d[i];
    s1 += d[i + 1];
    s2 += d[i + 2];
  }
  const double m0 = s0 / len, m1 = s1 / len, m2 = s2 / len;
  double err = 0;
  for (int32_t k = 0; k < len; k++)
  {
    const size_t i = (size_t)pix[k] * 4;
    const double e0 = d[i] - m0, e1 = d[i + 1] - m1, e2 = d[i + 2] - m2;
    err += e0 * e0;
    err += e1 * e1;
    err += e2 * e2;
  }
  double cx = 0, cy = 0;
  for (int32_t k = 0; k < len; k += step)
  {
    cx += pix[k] % w;
    cy += pix[k] / w;
  }
  io[0] = err, io[1] = cx, io[2] = cy;
}

/*
 * Each pixel's position along the gradient into TF_GRADIENT_T: linear (radial = 0), the projection
 * of (x − cx, y − cy) on (a, b); radial, the distance from (cx + a, cy + b), as (x − cx − a, y − cy − b).
 */
__attribute__((export_name("tf_gradient_positions"))) int tf_gradient_positions(int w, int radial, double cx,
                                                                                 double cy, double a, double b)
{
  const int32_t *pix = (const int32_t *)tf_buffer(TF_SMOOTH_QUEUE, 0);
  const int32_t len = region_length;
  double *t = (double *)tf_buffer(TF_GRADIENT_T, (size_t)(len > 0 ? len : 1) * sizeof(double));
  if (!t)
    return -1;
  for (int32_t k = 0; k < len; k++)
  {
    const int32_t p = pix[k], y = p / w;
    const double x = (double)(p - y * w);
    if (radial)
    {
      const double ex = x - cx - a, ey = (double)y - cy - b;
      t[k] = sqrt(ex * ex + ey * ey);
    }
    else
      t[k] = (x - cx) * a + ((double)y - cy) * b;
  }
  return 0;
}

/* The positions' range (io[0] = t0, io[1] = t1) and per bin the colour sums and count (io[4 + 4b …]). */
__attribute__((export_name("tf_gradient_bins"))) void tf_gradient_bins(void)
{
  const uint8_t *d = tf_buffer(TF_IMAGE, 0);
  const int32_t *pix = (const int32_t *)tf_buffer(TF_SMOOTH_QUEUE, 0);
  const double *t = (const double *)tf_buffer(TF_GRADIENT_T, 0);
  const int32_t len = region_length;
  double t0 = INFINITY, t1 = -INFINITY;
  for (int32_t k = 0; k < len; k++)
  {
    if (t[k] < t0)
      t0 = t[k];
    if (t[k] > t1)
      t1 = t[k];
  }
  double span = t1 - t0;
  if (span == 0)
    span = 1;
  double *sums = io + 4;
  memset(sums, 0, sizeof(double) * BINS * 4);
  for (int32_t k = 0; k < len; k++)
  {
    int b = (int)floor(((t[k] - t0) / span) * BINS);
    if (b > BINS - 1)
      b = BINS - 1;
    const size_t i = (size_t)pix[k] * 4;
    sums[b * 4] += d[i];
    sums[b * 4 + 1] += d[i + 1];
    sums[b * 4 + 2] += d[i + 2];
    sums[b * 4 + 3]++;
  }
  io[0] = t0, io[1] = t1;
}

/*
 * Squared error of the pixels against the colour interpolated between `stops` stops at their
 * positions (padded beyond the end stops), as the SVG renderer paints it. The stops are in io: offsets
 * at io[4 …], then red, green and blue at io[4 + BINS …], io[4 + 2·BINS …], io[4 + 3·BINS …].
 */
__attribute__((export_name("tf_gradient_error"))) double tf_gradient_error(int stops, double t0, double span)
{
  const uint8_t *d = tf_buffer(TF_IMAGE, 0);
  const int32_t *pix = (const int32_t *)tf_buffer(TF_SMOOTH_QUEUE, 0);
  const double *t = (const double *)tf_buffer(TF_GRADIENT_T, 0);
  const double *o = io + 4, *cr = o + BINS, *cg = cr + BINS, *cb = cg + BINS;
  const int last = stops - 1;
  const double o0 = o[0];
  const int32_t len = region_length;
  double err = 0;
  for (int32_t k = 0; k < len; k++)
  {
    const double u = (t[k] - t0) / span;
    const size_t i = (size_t)pix[k] * 4;
    double e0, e1, e2;
    int s = 1;
    if (u > o0)
      while (s <= last && u > o[s])
        s++;
    if (u <= o0 || s > last)
    {
      const int a = u <= o0 ? 0 : last;
      e0 = d[i] - cr[a];
      e1 = d[i + 1] - cg[a];
      e2 = d[i + 2] - cb[a];
    }
    else
    {
      const double f = (u - o[s - 1]) / (o[s] - o[s - 1]);
      const double g = 1 - f;
      e0 = d[i] - (cr[s - 1] * g + cr[s] * f);
      e1 = d[i + 1] - (cg[s - 1] * g + cg[s] * f);
      e2 = d[i + 2] - (cb[s - 1] * g + cb[s] * f);
    }
    err += e0 * e0;
    err += e1 * e1;
    err += e2 * e2;
  }
  return err;
}
