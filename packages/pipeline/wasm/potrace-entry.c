/*
 * tracefleet's entry to potrace (GPL-2.0, the core files beside this one, as esm-potrace-wasm
 * ships them). esm-potrace-wasm takes an RGBA canvas and turns every pixel into a bit with a
 * division and a luminance in floating point (≈ 4 ns per pixel, a fixed ~1 ms per 512² layer) and
 * prints paths with printf. Here the caller hands a byte mask (1 = ink, rows top down), packed into
 * potrace's bitmap word by word, and the paths are written without stdio: exactly the text
 * esm-potrace-wasm writes with { pathonly: true } once its groups are trimmed and joined
 * (potrace.test.ts compares the two on random bitmaps).
 *
 * Exports: tf_trace(...) → the path data of the mask in buffer TF_POTRACE_MASK (NUL-terminated,
 * also tf_output_length()); 0 when potrace failed.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "potracelib.h"
#include "bitmap.h"
#include "buffers.h"

#define UNIT 10

static char *out;
static size_t out_len, out_cap;

static int reserve(size_t more)
{
  if (out_len + more + 1 <= out_cap)
    return 1;
  size_t cap = out_cap ? out_cap : 4096;
  while (cap < out_len + more + 1)
    cap *= 2;
  char *grown = realloc(out, cap);
  if (!grown)
    return 0;
  out = grown;
  out_cap = cap;
  return 1;
}

/* backend_svg.c's ship/shiptoken: tokens separated by one space, none after a fresh start. */
static int fresh = 1;
static void space(void)
{
  if (!fresh)
    out[out_len++] = ' ';
  fresh = 0;
}
static void number(long v)
{
  char tmp[24];
  int n = 0;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  do
  {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    out[out_len++] = '-';
  while (n)
    out[out_len++] = tmp[--n];
}
/* One token: an optional command letter, then a number. */
static void token(char op, long v)
{
  space();
  if (op)
    out[out_len++] = op;
  number(v);
}

typedef struct
{
  long x, y;
} ipoint;
static ipoint unit(potrace_dpoint_t p)
{
  ipoint q = {(long)floor(p.x * UNIT + .5), (long)floor(p.y * UNIT + .5)};
  return q;
}

static ipoint cur;
static char lastop;

static int curve_path(const potrace_curve_t *curve, int absolute)
{
  /* Per segment at most 6 numbers of ≤ 12 characters and their separators. */
  if (!reserve((size_t)(curve->n + 1) * 2 * 6 * 14 + 4))
    return 0;
  ipoint q = unit(curve->c[curve->n - 1][2]);
  if (absolute)
  {
    token('M', q.x);
    token(0, q.y);
    lastop = 'M';
  }
  else
  {
    token('m', q.x - cur.x);
    token(0, q.y - cur.y);
    lastop = 'm';
  }
  cur = q;
  for (int i = 0; i < curve->n; i++)
  {
    potrace_dpoint_t *c = curve->c[i];
    if (curve->tag[i] == POTRACE_CORNER)
    {
      for (int k = 1; k <= 2; k++)
      {
        ipoint p = unit(c[k]);
        token(lastop == 'l' ? 0 : 'l', p.x - cur.x);
        token(0, p.y - cur.y);
        cur = p;
        lastop = 'l';
      }
    }
    else
    {
      ipoint p1 = unit(c[0]), p2 = unit(c[1]), p3 = unit(c[2]);
      token(lastop == 'c' ? 0 : 'c', p1.x - cur.x);
      token(0, p1.y - cur.y);
      token(0, p2.x - cur.x);
      token(0, p2.y - cur.y);
      token(0, p3.x - cur.x);
      token(0, p3.y - cur.y);
      cur = p3;
      lastop = 'c';
    }
  }
  /* shiptoken after newline = 1: no space before the z. */
  out[out_len++] = 'z';
  return 1;
}

/* backend_svg.c's write_paths_transparent_rec: each outline with its holes, then what the holes hold. */
static int write_tree(const potrace_path_t *tree)
{
  for (const potrace_path_t *p = tree; p; p = p->sibling)
  {
    fresh = 1;
    lastop = 0;
    if (!curve_path(&p->curve, 1))
      return 0;
    for (const potrace_path_t *q = p->childlist; q; q = q->sibling)
      if (!curve_path(&q->curve, 0))
        return 0;
    for (const potrace_path_t *q = p->childlist; q; q = q->sibling)
      if (!write_tree(q->childlist))
        return 0;
  }
  return 1;
}

__attribute__((export_name("tf_output_length"))) size_t tf_output_length(void)
{
  return out_len;
}

__attribute__((export_name("tf_trace"))) const char *tf_trace(int width, int height, int turdsize, int turnpolicy,
                                                              double alphamax, int opticurve, double opttolerance)
{
  const unsigned char *input = tf_buffer(TF_POTRACE_MASK, 0);
  if (!input || (size_t)width * (size_t)height > tf_buffer_size(TF_POTRACE_MASK))
    return 0;
  potrace_bitmap_t *bm = bm_new(width, height);
  if (!bm)
    return 0;
  /* Row r of the mask is potrace's scanline height - 1 - r (its y axis points up). */
  for (int r = 0; r < height; r++)
  {
    const unsigned char *src = input + (size_t)r * width;
    potrace_word *line = bm_scanline(bm, height - 1 - r);
    for (int x0 = 0, w = 0; x0 < width; x0 += BM_WORDBITS, w++)
    {
      int n = width - x0 < BM_WORDBITS ? width - x0 : BM_WORDBITS;
      potrace_word word = 0;
      for (int k = 0; k < n; k++)
        word |= (potrace_word)(src[x0 + k] == 1) << (BM_WORDBITS - 1 - k);
      line[w] = word;
    }
  }
  potrace_param_t param = {
      .turdsize = turdsize,
      .turnpolicy = turnpolicy,
      .alphamax = alphamax,
      .opticurve = opticurve,
      .opttolerance = opttolerance,
  };
  potrace_state_t *st = potrace_trace(&param, bm);
  bm_free(bm);
  if (!st || st->status != POTRACE_STATUS_OK)
  {
    if (st)
      potrace_state_free(st);
    return 0;
  }
  out_len = 0;
  int ok = reserve(0) && write_tree(st->plist);
  potrace_state_free(st);
  if (!ok)
    return 0;
  out[out_len] = 0;
  return out;
}
