/*
 * The per-pixel label passes of src/algorithms, in the TypeScript's arithmetic and order
 * (-ffp-contract=off; labels are int16, −1 = transparent):
 *
 * - tf_assign_labels: palette.ts's assignLabels — each pixel's palette index: −1 when alpha < the
 *   threshold, else the nearest palette colour in CIE Lab (color.ts: rgbToLab, deltaE2; the first of
 *   equals). TF_LABEL_IMAGE (RGBA) in, TF_LABEL_MAP out. Lab comes from color.ts's LINEAR table
 *   (TF_LABEL_LINEAR, so no pow here) and libm's cbrt, which is FreeBSD's, as V8's Math.cbrt is;
 *   the palette's Lab triples (TF_LABEL_LABS) are the TypeScript's own.
 * - tf_refine_edge_labels: palette.ts's refineEdgeLabels — a non-flat labelled pixel that lies on
 *   the mix of two colours found flat within 2 px takes the nearer of them. Reads TF_LABEL_IMAGE,
 *   TF_LABEL_MAP, TF_LABEL_FLAT and TF_LABEL_RGB (the palette as int32 R, G, B, then one int32 per
 *   colour: 1 = a line colour); writes the refined labels into TF_LABEL_OUT.
 * - tf_mode_filter_labels: smooth-labels.ts's modeFilterLabels — each boundary pixel of
 *   TF_LABEL_MAP takes its (2r+1)² window's most frequent label (its own on a tie, else the first
 *   met in scan order); the filtered labels into TF_LABEL_OUT. Labels are ≥ −1.
 *
 * Each returns 0, or −1 when a buffer is missing or too small.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "buffers.h"

/* ---- assignLabels ---- */

/* Nearest palette index per colour, direct-mapped (a miss recomputes: the label is a pure function
   of the colour, so evictions cannot change the output). Reset per call: the palette changes. */
#define CACHE_BITS 14
static uint32_t cache_key[1 << CACHE_BITS]; /* 0xRRGGBB + 1 as the little-endian word holds it; 0 = empty */
static int16_t cache_label[1 << CACHE_BITS];

/* color.ts: f. */
static double lab_f(double t)
{
  return t > 216.0 / 24389 ? cbrt(t) : (841.0 / 108) * t + 4.0 / 29;
}

/* palette.ts: nearestLab(packedToLab(c), labs) for the pixel's r, g, b. */
static int16_t nearest_label(const double *linear, const double *labs, int colours, int r, int g, int b)
{
  /* color.ts: rgbToLab. */
  const double R = linear[r], G = linear[g], B = linear[b];
  const double x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const double y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const double z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const double fy = lab_f(y);
  const double L = 116 * fy - 16, A = 500 * (lab_f(x) - fy), Bb = 200 * (fy - lab_f(z));
  int best = -1;
  double best_d = INFINITY;
  for (int k = 0; k < colours; k++)
  {
    /* color.ts: deltaE2. */
    const double dl = L - labs[3 * k], da = A - labs[3 * k + 1], db = Bb - labs[3 * k + 2];
    const double dd = dl * dl + da * da + db * db;
    if (dd < best_d)
    {
      best_d = dd;
      best = k;
    }
  }
  return (int16_t)best;
}

__attribute__((export_name("tf_assign_labels"))) int tf_assign_labels(int n, int colours, int alpha_threshold)
{
  const uint32_t *px = (const uint32_t *)tf_buffer(TF_LABEL_IMAGE, 0);
  const double *labs = (const double *)tf_buffer(TF_LABEL_LABS, 0), *linear = (const double *)tf_buffer(TF_LABEL_LINEAR, 0);
  int16_t *out = (int16_t *)tf_buffer(TF_LABEL_MAP, (size_t)n * 2);
  if (!px || !labs || !linear || !out || tf_buffer_size(TF_LABEL_IMAGE) < (size_t)n * 4 ||
      tf_buffer_size(TF_LABEL_LABS) < (size_t)colours * 24 || tf_buffer_size(TF_LABEL_LINEAR) < 256 * 8 || colours < 1)
    return -1;
  memset(cache_key, 0, sizeof cache_key);
  /* Logos are runs of one pixel value: one lookup per change of value. */
  uint32_t last = 0; /* transparent black: −1 */
  int16_t label = -1;
  for (int p = 0; p < n; p++)
  {
    const uint32_t word = px[p];
    if (word != last)
    {
      last = word;
      if ((int)(word >> 24) < alpha_threshold)
        label = -1;
      else
      {
        const uint32_t key = (word & 0xffffff) + 1, h = (key * 2654435761u) >> (32 - CACHE_BITS);
        if (cache_key[h] != key)
        {
          cache_key[h] = key;
          cache_label[h] = nearest_label(linear, labs, colours, word & 255, (word >> 8) & 255, (word >> 16) & 255);
        }
        label = cache_label[h];
      }
    }
    out[p] = label;
  }
  return 0;
}

/* ---- refineEdgeLabels ---- */

/* palette.ts: mixAt — where on the mix a→b the colour nearest to (pr, pg, pb) lies. */
static double mix_at(int pr, int pg, int pb, const int32_t *a, const int32_t *b)
{
  const int ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
  const int len = ux * ux + uy * uy + uz * uz;
  if (!len)
    return 0;
  const double t = (double)((pr - a[0]) * ux + (pg - a[1]) * uy + (pb - a[2]) * uz) / len;
  return t > 1 ? 1 : t < 0 ? 0 : t;
}

/* palette.ts: mixError — squared distance from the pixel to the mix at t. */
static double mix_error(int pr, int pg, int pb, const int32_t *a, const int32_t *b, double t)
{
  const double dr = pr - a[0] - t * (b[0] - a[0]), dg = pg - a[1] - t * (b[1] - a[1]), db = pb - a[2] - t * (b[2] - a[2]);
  return dr * dr + dg * dg + db * db;
}

/* The last pixel that collected each label (palette.ts: flatNeighbourLabels' `seen`). */
static int32_t seen[32768];

/*
 * palette.ts: flatNeighbourLabels — the labels of the flat pixels within 2 px of (x, y), each once,
 * in scan order, into cand; returns their number, or −1 as soon as `own` is among them.
 */
static int flat_neighbour_labels(int x, int y, int w, int h, const uint8_t *flat, const int16_t *labels, int own,
                                 int16_t *cand)
{
  const int p = y * w + x;
  const int y0 = y - 2 < 0 ? 0 : y - 2, y1 = y + 2 > h - 1 ? h - 1 : y + 2;
  const int x0 = x - 2 < 0 ? 0 : x - 2, x1 = x + 2 > w - 1 ? w - 1 : x + 2;
  int nc = 0;
  for (int yy = y0; yy <= y1; yy++)
    for (int xx = x0; xx <= x1; xx++)
    {
      const int q = yy * w + xx;
      if (!flat[q])
        continue;
      const int l = labels[q];
      if (l < 0)
        continue;
      if (l == own)
        return -1;
      if (seen[l] != p)
      {
        seen[l] = p;
        cand[nc++] = (int16_t)l;
      }
    }
  return nc;
}

/* The label refineEdgeLabels gives the non-flat pixel p of label own (−1: it keeps its own). */
static int refined_label(const uint8_t *px, int own, int is_line, const int32_t *rgb, const int16_t *cand, int nc)
{
  const int pr = px[0], pg = px[1], pb = px[2];
  const int32_t *c0 = rgb + 3 * own;
  const int own_err = (pr - c0[0]) * (pr - c0[0]) + (pg - c0[1]) * (pg - c0[1]) + (pb - c0[2]) * (pb - c0[2]);
  int best = -1;
  double best_err = own_err < 24 * 24 ? own_err : 24 * 24;
  /* A stroke colour has no flat pixels of its own: its mixes with the neighbours explain its rim. */
  const int m = nc + (is_line ? 1 : 0);
  for (int s = 0; s < m; s++)
    for (int t = s; t < m; t++)
    {
      const int ls = s < nc ? cand[s] : own, lt = t < nc ? cand[t] : own;
      const int32_t *a = rgb + 3 * ls, *b = rgb + 3 * lt;
      const double at = mix_at(pr, pg, pb, a, b), e = mix_error(pr, pg, pb, a, b, at);
      if (e < best_err)
      {
        best_err = e;
        best = at < 0.5 ? ls : lt;
      }
    }
  return best;
}

__attribute__((export_name("tf_refine_edge_labels"))) int tf_refine_edge_labels(int w, int h, int colours)
{
  const size_t n = (size_t)w * h;
  const uint8_t *d = tf_buffer(TF_LABEL_IMAGE, 0), *flat = tf_buffer(TF_LABEL_FLAT, 0);
  const int16_t *labels = (const int16_t *)tf_buffer(TF_LABEL_MAP, 0);
  const int32_t *rgb = (const int32_t *)tf_buffer(TF_LABEL_RGB, 0);
  int16_t *out = (int16_t *)tf_buffer(TF_LABEL_OUT, n * 2);
  if (!d || !flat || !labels || !rgb || !out || tf_buffer_size(TF_LABEL_IMAGE) < n * 4 ||
      tf_buffer_size(TF_LABEL_FLAT) < n || tf_buffer_size(TF_LABEL_MAP) < n * 2 ||
      tf_buffer_size(TF_LABEL_RGB) < (size_t)colours * 16 || colours > 32767)
    return -1;
  const int32_t *is_line = rgb + 3 * colours;
  for (int l = 0; l < colours; l++)
    seen[l] = -1;
  memcpy(out, labels, n * 2);
  int16_t cand[25];
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
    {
      const int p = y * w + x, own = labels[p];
      if (own < 0 || own >= colours || flat[p])
        continue;
      /* Its own colour found flat right there (−1): nothing to fix. */
      const int nc = flat_neighbour_labels(x, y, w, h, flat, labels, own, cand);
      if (nc <= 0)
        continue;
      const int best = refined_label(d + (size_t)p * 4, own, is_line[own], rgb, cand, nc);
      if (best >= 0)
        out[p] = (int16_t)best;
    }
  return 0;
}

/* ---- modeFilterLabels ---- */

static int32_t counts[32769]; /* label l counted at l + 1; zero between pixels */
static int32_t touched[32769];

/* Adds a run of `run` pixels of label l − 1 to the counts, noting l when it is new. */
static inline int count_run(int l, int run, int nt)
{
  if (counts[l] == 0)
    touched[nt++] = l;
  counts[l] += run;
  return nt;
}

/*
 * The most frequent label in the window [x0, x1] × [y0, y1]: `own` on a tie with it, else the first
 * met. Counted by runs of one label along each window row (counting pixel by pixel would make every
 * increment wait for the one before: a window is mostly one label); labels are still noted in the
 * order they are met.
 */
static int window_mode(const int16_t *labels, int w, int x0, int x1, int y0, int y1, int own)
{
  int nt = 0;
  for (int yy = y0; yy <= y1; yy++)
  {
    const int16_t *row = labels + (size_t)yy * w;
    int l = row[x0], run = 1;
    for (int xx = x0 + 1; xx <= x1; xx++)
    {
      if (row[xx] == l)
      {
        run++;
        continue;
      }
      nt = count_run(l + 1, run, nt);
      l = row[xx];
      run = 1;
    }
    nt = count_run(l + 1, run, nt);
  }
  int best = own, best_n = counts[own + 1];
  for (int k = 0; k < nt; k++)
  {
    const int l = touched[k];
    if (counts[l] > best_n)
    {
      best_n = counts[l];
      best = l - 1;
    }
    counts[l] = 0;
  }
  return best;
}

/* Four int16 labels from p as one word (unaligned). */
static inline uint64_t four(const int16_t *p)
{
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

__attribute__((export_name("tf_mode_filter_labels"))) int tf_mode_filter_labels(int w, int h, int r)
{
  const size_t n = (size_t)w * h;
  const int16_t *labels = (const int16_t *)tf_buffer(TF_LABEL_MAP, 0);
  int16_t *out = (int16_t *)tf_buffer(TF_LABEL_OUT, n * 2);
  if (!labels || !out || tf_buffer_size(TF_LABEL_MAP) < n * 2)
    return -1;
  memcpy(out, labels, n * 2);
  for (int y = 0; y < h; y++)
  {
    /* Off the image, a row compares as the row itself: alike. */
    const int16_t *row = labels + (size_t)y * w, *up = y > 0 ? row - w : row, *down = y < h - 1 ? row + w : row;
    const int y0 = y - r < 0 ? 0 : y - r, y1 = y + r > h - 1 ? h - 1 : y + r;
    for (int x = 0; x < w; x++)
    {
      /* Most pixels are inside a region: skip four at a time when they and their neighbours are alike. */
      if (x > 0 && x + 4 < w)
      {
        const uint64_t a = four(row + x);
        if (((a ^ four(row + x - 1)) | (a ^ four(row + x + 1)) | (a ^ four(up + x)) | (a ^ four(down + x))) == 0)
        {
          x += 3;
          continue;
        }
      }
      const int own = row[x];
      /* Inside a region (4 neighbours alike) nothing changes. */
      if ((x == 0 || row[x - 1] == own) && (x == w - 1 || row[x + 1] == own) && up[x] == own && down[x] == own)
        continue;
      const int x0 = x - r < 0 ? 0 : x - r, x1 = x + r > w - 1 ? w - 1 : x + r;
      out[(size_t)y * w + x] = (int16_t)window_mode(labels, w, x0, x1, y0, y1, own);
    }
  }
  return 0;
}
