/*
 * src/score.ts's pixel passes in C, with JavaScript's arithmetic step for step (so every score is
 * the one the TypeScript gave, to the last bit; src/score.test.ts and the golden outputs check it):
 * the scoring planes of a reference and a candidate flattened on white (at full or half resolution,
 * counting bad pixels on the way), and ssim.js's mean SSIM of two planes.
 *
 * Buffers: TF_SCORE_REF / TF_SCORE_CAND hold the RGBA pixels; tf_score_planes writes the four planes
 * (R, G, B, luma) of each into TF_PLANES_A / TF_PLANES_B; tf_mean_ssim reads planes from any slots.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "buffers.h"

/* A pixel word (little-endian RGBA) flattened on white, packed as 0xYYBBGGRR (score.ts: flatPixel). */
static uint32_t flat_pixel(uint32_t word)
{
  uint32_t a = word >> 24;
  if (a == 0)
    return 0xffffffffu;
  uint32_t r = word & 255, g = (word >> 8) & 255, b = (word >> 16) & 255;
  if (a != 255)
  {
    uint32_t bg = 255 * (255 - a) + 127;
    r = (r * a + bg) / 255;
    g = (g * a + bg) / 255;
    b = (b * a + bg) / 255;
  }
  /* Math.round: the nearest integer, halves up (x − floor(x) is exact here). */
  double y = 0.299 * r + 0.587 * g + 0.114 * b;
  double fl = floor(y);
  uint32_t luma = (uint32_t)fl + (y - fl >= 0.5 ? 1 : 0);
  return r | (g << 8) | (b << 16) | (luma << 24);
}

static int is_bad(uint32_t f, uint32_t g)
{
  for (int s = 0; s < 24; s += 8)
  {
    int d = (int)((f >> s) & 255) - (int)((g >> s) & 255);
    if (d > 64 || d < -64)
      return 1;
  }
  return 0;
}

static void put_planes(uint8_t *out, size_t n, size_t p, uint32_t f)
{
  out[p] = f & 255;
  out[n + p] = (f >> 8) & 255;
  out[2 * n + p] = (f >> 16) & 255;
  out[3 * n + p] = f >> 24;
}

/* R + 2¹⁰G + 2²⁰B + 2³⁰Y of a flattened pixel: sums of up to four never carry between fields. */
static uint64_t packed(uint32_t f)
{
  return (uint64_t)(f & 255) + ((uint64_t)((f >> 8) & 255) << 10) + ((uint64_t)((f >> 16) & 255) << 20) +
         ((uint64_t)(f >> 24) << 30);
}

static uint8_t quarter(uint64_t v)
{
  return (uint8_t)(int)((double)v * 0.25 + 0.5);
}

/*
 * Planes of both images (w × h, or ⌈w/2⌉ × ⌈h/2⌉ with `half`: ssim.js's 2× box downsampling with
 * symmetric padding, score.ts: halfPlanes); returns the bad-pixel count, −1 without memory.
 */
__attribute__((export_name("tf_score_planes"))) int tf_score_planes(int w, int h, int half)
{
  size_t n = (size_t)w * h;
  int ow = half ? (w + 1) / 2 : w, oh = half ? (h + 1) / 2 : h;
  size_t on = (size_t)ow * oh;
  uint8_t *a = tf_buffer(TF_PLANES_A, 4 * on), *b = tf_buffer(TF_PLANES_B, 4 * on);
  uint64_t *acc = half ? (uint64_t *)tf_buffer(TF_SCORE_ACC, 2 * (size_t)ow * sizeof(uint64_t)) : 0;
  const uint32_t *ra = (const uint32_t *)tf_buffer(TF_SCORE_REF, 0), *cb = (const uint32_t *)tf_buffer(TF_SCORE_CAND, 0);
  if (!a || !b || (half && !acc) || !ra || !cb || tf_buffer_size(TF_SCORE_REF) < n * 4 ||
      tf_buffer_size(TF_SCORE_CAND) < n * 4)
    return -1;
  int bad = 0;
  uint32_t last_a = 0, last_b = 0, fa = flat_pixel(0), fb = fa;
  uint64_t qa = packed(fa), qb = qa;
  if (!half)
  {
    for (size_t p = 0; p < n; p++)
    {
      uint32_t wa = ra[p], wb = cb[p];
      if (wa != last_a)
        fa = flat_pixel(last_a = wa);
      if (wb != last_b)
        fb = flat_pixel(last_b = wb);
      put_planes(a, n, p, fa);
      put_planes(b, n, p, fb);
      if (fa != fb && is_bad(fa, fb))
        bad++;
    }
    return bad;
  }
  memset(acc, 0, 2 * (size_t)ow * sizeof(uint64_t));
  size_t p = 0;
  for (int y = 0; y < h; y++)
  {
    int r = (y + 1) >> 1;
    int used = r < oh;
    uint64_t wy = y == 0 ? 2 : 1;
    for (int x = 0; x < w; x++, p++)
    {
      uint32_t wa = ra[p], wb = cb[p];
      if (wa != last_a)
      {
        fa = flat_pixel(last_a = wa);
        qa = packed(fa);
      }
      if (wb != last_b)
      {
        fb = flat_pixel(last_b = wb);
        qb = packed(fb);
      }
      if (fa != fb && is_bad(fa, fb))
        bad++;
      int c = (x + 1) >> 1;
      if (!used || c >= ow)
        continue;
      uint64_t k = x == 0 ? 2 * wy : wy;
      acc[c] += k * qa;
      acc[ow + c] += k * qb;
    }
    if (!used || (y & 1) != 0)
      continue;
    for (int c = 0; c < ow; c++)
    {
      size_t o = (size_t)r * ow + c;
      for (int s = 0; s < 2; s++)
      {
        uint64_t sum = acc[s * ow + c];
        uint8_t *out = s ? b : a;
        out[o] = quarter(sum & 1023);
        out[on + o] = quarter((sum >> 10) & 1023);
        out[2 * on + o] = quarter((sum >> 20) & 1023);
        out[3 * on + o] = quarter(sum >> 30);
      }
    }
    memset(acc, 0, 2 * (size_t)ow * sizeof(uint64_t));
  }
  return bad;
}

static int mirror(int i, int n)
{
  return i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i;
}

/*
 * The reference (TF_SCORE_REF, w × h RGBA) at the score's resolution, into TF_SCORE_SMALL: each
 * channel flattened on white and shrunk by f as ssim.js's 'original' downsampling does (score.ts:
 * downsample — f × f box mean from floor(f/2) before the sample, symmetric padding, rounded), in its
 * arithmetic (a sum of v · (1/f²) in window order: quarters are exact for f = 2), as opaque RGBA.
 * Returns 0, −1 without memory.
 */
__attribute__((export_name("tf_score_shrink"))) int tf_score_shrink(int w, int h, int f)
{
  const int ow = (w + f - 1) / f, oh = (h + f - 1) / f, off = f / 2;
  const uint32_t *px = (const uint32_t *)tf_buffer(TF_SCORE_REF, 0);
  uint32_t *out = (uint32_t *)tf_buffer(TF_SCORE_SMALL, (size_t)ow * oh * 4);
  if (!px || !out || tf_buffer_size(TF_SCORE_REF) < (size_t)w * h * 4)
    return -1;
  uint32_t last = 0, fl = flat_pixel(0);
  if (f == 2)
  {
    /* Windows are rows and columns 2i − 1 and 2i (row / column 0 twice); channel sums of four
       packed 10 bits apart never carry, and round(s / 4) = (s + 2) >> 2 exactly. */
    uint32_t pk = packed(fl);
#define TF_PACKED(word) ((word) == last ? pk : (pk = (uint32_t)packed(fl = flat_pixel(last = (word)))))
    for (int r = 0; r < oh; r++)
    {
      const uint32_t *ra = px + (size_t)(r ? 2 * r - 1 : 0) * w, *rb = px + (size_t)2 * r * w;
      uint32_t *o = out + (size_t)r * ow;
      for (int c = 0; c < ow; c++)
      {
        const int xa = c ? 2 * c - 1 : 0, xb = 2 * c;
        uint32_t s = TF_PACKED(ra[xa]);
        s += TF_PACKED(ra[xb]);
        s += TF_PACKED(rb[xa]);
        s += TF_PACKED(rb[xb]);
        s += 2 | (2 << 10) | (2 << 20);
        o[c] = ((s >> 2) & 255) | (((s >> 12) & 255) << 8) | (((s >> 22) & 255) << 16) | 0xff000000u;
      }
    }
#undef TF_PACKED
    return 0;
  }
  const double k = 1.0 / ((double)f * f);
  for (int r = 0; r < oh; r++)
    for (int c = 0; c < ow; c++)
    {
      double sr = 0, sg = 0, sb = 0;
      for (int dy = 0; dy < f; dy++)
      {
        const uint32_t *row = px + (size_t)mirror(r * f - off + dy, h) * w;
        for (int dx = 0; dx < f; dx++)
        {
          const uint32_t word = row[mirror(c * f - off + dx, w)];
          if (word != last)
            fl = flat_pixel(last = word);
          sr += (double)(fl & 255) * k;
          sg += (double)((fl >> 8) & 255) * k;
          sb += (double)((fl >> 16) & 255) * k;
        }
      }
      out[(size_t)r * ow + c] =
          (uint32_t)(int)(sr + 0.5) | ((uint32_t)(int)(sg + 0.5) << 8) | ((uint32_t)(int)(sb + 0.5) << 16) | 0xff000000u;
    }
  return 0;
}

/* Whether plane i equals plane j in both A and B (n bytes per plane). */
__attribute__((export_name("tf_plane_pairs_equal"))) int tf_plane_pairs_equal(int i, int j, int n)
{
  const uint8_t *a = tf_buffer(TF_PLANES_A, 0), *b = tf_buffer(TF_PLANES_B, 0);
  return memcmp(a + (size_t)i * n, a + (size_t)j * n, n) == 0 && memcmp(b + (size_t)i * n, b + (size_t)j * n, n) == 0;
}

/*
 * Mean SSIM of planes x (slot sx, byte offset ox) and y over every window position, as score.ts's
 * meanSsim documents: packed column sums for the current band of rows, a window's SSIM recomputed
 * only where its sums change. Returns NaN without memory.
 */
__attribute__((export_name("tf_mean_ssim"))) double tf_mean_ssim(int sx, int ox, int sy, int oy, int w, int h, double c1,
                                                                 double c2)
{
  const int Y1 = 1 << 15;
  const double Y2 = 1 << 23;
  int WS = w < h ? w : h;
  if (WS > 11)
    WS = 11;
  const int N = WS * WS;
  uint8_t *cols = tf_buffer(TF_SSIM_COLUMNS, (size_t)w * 16);
  const uint8_t *x = tf_buffer(sx, 0), *y = tf_buffer(sy, 0);
  if (!cols || !x || !y)
    return NAN;
  x += ox;
  y += oy;
  double *cq = (double *)cols;
  int32_t *cs = (int32_t *)(cols + (size_t)w * 8), *cp = (int32_t *)(cols + (size_t)w * 12);
  memset(cols, 0, (size_t)w * 16);
  const int ww = w - WS + 1, wh = h - WS + 1;
  for (int r = 0; r < WS - 1; r++)
    for (int c = 0; c < w; c++)
    {
      int u = x[(size_t)r * w + c], v = y[(size_t)r * w + c];
      cs[c] += u + v * Y1;
      cq[c] += u * u + (double)(v * v) * Y2;
      cp[c] += u * v;
    }
  double total = 0, ssim = 0;
  int32_t ps = -1, pp = -1;
  double pq = -1;
  for (int r = 0; r < wh; r++)
  {
    const uint8_t *ax = x + (size_t)(r + WS - 1) * w, *ay = y + (size_t)(r + WS - 1) * w;
    if (r == 0)
      for (int c = 0; c < w; c++)
      {
        int u = ax[c], v = ay[c];
        cs[c] += u + v * Y1;
        cq[c] += u * u + (double)(v * v) * Y2;
        cp[c] += u * v;
      }
    else
    {
      const uint8_t *dx = x + (size_t)(r - 1) * w, *dy = y + (size_t)(r - 1) * w;
      for (int c = 0; c < w; c++)
      {
        int u = ax[c], v = ay[c], s = dx[c], t = dy[c];
        cs[c] += u - s + (v - t) * Y1;
        cq[c] += u * u - s * s + (double)(v * v - t * t) * Y2;
        cp[c] += u * v - s * t;
      }
    }
    int32_t ss = 0, sp = 0;
    double sq = 0;
    for (int c = 0; c < WS - 1; c++)
    {
      ss += cs[c];
      sq += cq[c];
      sp += cp[c];
    }
    for (int c = 0; c < ww; c++)
    {
      const int e = c + WS - 1;
      ss += cs[e];
      sq += cq[e];
      sp += cp[e];
      if (ss != ps || sq != pq || sp != pp)
      {
        ps = ss;
        pq = sq;
        pp = sp;
        const int32_t sy_ = ss >> 15, sx_ = ss - sy_ * Y1;
        const double syy = floor(sq / Y2), sxx = sq - syy * Y2;
        const double mx = (double)sx_ / N, my = (double)sy_ / N;
        /* Int32 truncation, as ssim.js stores these in Int32Arrays. */
        const double vx = (double)(int32_t)(1024 * (sxx / N - mx * mx)) / 1024;
        const double vy = (double)(int32_t)(1024 * (syy / N - my * my)) / 1024;
        const double cv = (double)(int32_t)(1024 * ((double)sp / N - mx * my)) / 1024;
        ssim = ((2 * mx * my + c1) * (2 * cv + c2)) / (mx * mx + my * my + c1) / (vx + vy + c2);
      }
      total += ssim;
      ss -= cs[c];
      sq -= cq[c];
      sp -= cp[c];
    }
  }
  return total / ((double)ww * wh);
}

/*
 * resvg's premultiplied render → straight alpha, in place in TF_SCORE_CAND (n pixels), as
 * image.ts's unpremultiply: min(255, Math.round(v · (255 / a))) for 0 < a < 255, from a table.
 */
static uint8_t unpremultiplied[256][256];
static int unpremultiplied_ready;

__attribute__((export_name("tf_unpremultiply"))) int tf_unpremultiply(int n)
{
  uint8_t *d = tf_buffer(TF_SCORE_CAND, 0);
  if (!d || tf_buffer_size(TF_SCORE_CAND) < (size_t)n * 4)
    return -1;
  if (!unpremultiplied_ready)
  {
    for (int a = 1; a < 255; a++)
    {
      const double k = 255.0 / a;
      for (int v = 0; v < 256; v++)
      {
        const double x = v * k, fl = floor(x);
        const double r = fl + (x - fl >= 0.5 ? 1 : 0);
        unpremultiplied[a][v] = (uint8_t)(r > 255 ? 255 : r);
      }
    }
    unpremultiplied_ready = 1;
  }
  for (int p = 0; p < n; p++, d += 4)
  {
    const int a = d[3];
    if (a == 0 || a == 255)
      continue;
    d[0] = unpremultiplied[a][d[0]];
    d[1] = unpremultiplied[a][d[1]];
    d[2] = unpremultiplied[a][d[2]];
  }
  return 0;
}

/* algorithms/ink.ts: whether a flattened pixel differs from the page by more than `step` in some channel. */
static int inks(uint32_t f, int pr, int pg, int pb, int step)
{
  const int r = (int)(f & 255) - pr, g = (int)((f >> 8) & 255) - pg, b = (int)((f >> 16) & 255) - pb;
  return r > step || r < -step || g > step || g < -step || b > step || b < -step;
}

/*
 * algorithms/ink.ts's inkOf pass: TF_INK_MASK[p] = 1 where pixel p of `slot` (n RGBA pixels, straight
 * alpha) flattened on white inks against the page colour (by more than `step`); returns the ink
 * count, −1 without memory.
 */
__attribute__((export_name("tf_ink_mask"))) int tf_ink_mask(int slot, int n, int pr, int pg, int pb, int step)
{
  const uint32_t *px = (const uint32_t *)tf_buffer(slot, 0);
  uint8_t *mask = tf_buffer(TF_INK_MASK, (size_t)n);
  if (!px || !mask || tf_buffer_size(slot) < (size_t)n * 4)
    return -1;
  uint32_t last = 0;
  int inked = inks(flat_pixel(0), pr, pg, pb, step), count = 0;
  for (int p = 0; p < n; p++)
  {
    const uint32_t word = px[p];
    if (word != last)
      inked = inks(flat_pixel(last = word), pr, pg, pb, step);
    mask[p] = (uint8_t)inked;
    count += inked;
  }
  return count;
}

/*
 * algorithms/ink.ts's inkRecall pass: of the pixels TF_INK_MASK marks, how many the rendered
 * candidate (TF_SCORE_CAND, straight alpha) also inks; −1 without memory.
 */
__attribute__((export_name("tf_ink_kept"))) int tf_ink_kept(int n, int pr, int pg, int pb, int step)
{
  const uint32_t *px = (const uint32_t *)tf_buffer(TF_SCORE_CAND, 0);
  const uint8_t *mask = tf_buffer(TF_INK_MASK, 0);
  if (!px || !mask || tf_buffer_size(TF_SCORE_CAND) < (size_t)n * 4 || tf_buffer_size(TF_INK_MASK) < (size_t)n)
    return -1;
  uint32_t last = 0;
  int inked = inks(flat_pixel(0), pr, pg, pb, step), kept = 0;
  for (int p = 0; p < n; p++)
  {
    if (!mask[p])
      continue;
    const uint32_t word = px[p];
    if (word != last)
      inked = inks(flat_pixel(last = word), pr, pg, pb, step);
    kept += inked;
  }
  return kept;
}

/* SIMD for the four-lane SSIM only: the rest of the module is built as before (same bytes). */
#pragma clang attribute push(__attribute__((target("simd128"))), apply_to = function)
#include <wasm_simd128.h>

static double ssim4_result[4];

__attribute__((export_name("tf_ssim4_result"))) double *tf_ssim4_result(void)
{
  return ssim4_result;
}

/* The four bytes of a word (R, G, B, luma of a flattened pixel) as four int32 lanes. */
static inline v128_t lanes(uint32_t word)
{
  return wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_i32x4_make((int32_t)word, 0, 0, 0)));
}

/* ssim.js's per-window SSIM on two lanes, in tf_mean_ssim's arithmetic and order. */
static inline v128_t window_ssim(v128_t sx, v128_t sy, v128_t sxx, v128_t syy, v128_t sxy, double N, double c1,
                                 double c2)
{
  const v128_t n = wasm_f64x2_splat(N), two = wasm_f64x2_splat(2), k = wasm_f64x2_splat(1024);
  const v128_t mx = wasm_f64x2_div(sx, n), my = wasm_f64x2_div(sy, n);
  const v128_t vx = wasm_f64x2_div(
      wasm_f64x2_convert_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(
          wasm_f64x2_mul(k, wasm_f64x2_sub(wasm_f64x2_div(sxx, n), wasm_f64x2_mul(mx, mx))))),
      k);
  const v128_t vy = wasm_f64x2_div(
      wasm_f64x2_convert_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(
          wasm_f64x2_mul(k, wasm_f64x2_sub(wasm_f64x2_div(syy, n), wasm_f64x2_mul(my, my))))),
      k);
  const v128_t cv = wasm_f64x2_div(
      wasm_f64x2_convert_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(
          wasm_f64x2_mul(k, wasm_f64x2_sub(wasm_f64x2_div(sxy, n), wasm_f64x2_mul(mx, my))))),
      k);
  const v128_t c1v = wasm_f64x2_splat(c1), c2v = wasm_f64x2_splat(c2);
  const v128_t num = wasm_f64x2_mul(wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_mul(two, mx), my), c1v),
                                    wasm_f64x2_add(wasm_f64x2_mul(two, cv), c2v));
  const v128_t d1 = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(mx, mx), wasm_f64x2_mul(my, my)), c1v);
  const v128_t d2 = wasm_f64x2_add(wasm_f64x2_add(vx, vy), c2v);
  return wasm_f64x2_div(wasm_f64x2_div(num, d1), d2);
}

/* Lanes 0–1 (lo) or 2–3 (hi) of an int32x4 as two doubles. */
static inline v128_t lo2(v128_t v)
{
  return wasm_f64x2_convert_low_i32x4(v);
}
static inline v128_t hi2(v128_t v)
{
  return wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3));
}

/*
 * The score's planes and SSIMs in one go, for a reference and candidate of one size scored as they
 * are (ssim.js factor 1): each pixel of TF_SCORE_REF / TF_SCORE_CAND flattened on white (flat_pixel:
 * R, G, B and luma in one word) into TF_PLANES_A / TF_PLANES_B, bad pixels counted, then the mean
 * SSIM of all four planes at once — one lane per plane, window sums as exact integers (Σx, Σy, Σx²,
 * Σy², Σxy), each window's SSIM in tf_mean_ssim's arithmetic and order, so every lane equals
 * tf_mean_ssim on that plane to the last bit. The four means go to tf_ssim4_result(); returns the
 * bad-pixel count, −1 without memory.
 */
__attribute__((export_name("tf_ssim4"))) int tf_ssim4(int w, int h, double c1, double c2)
{
  const size_t n = (size_t)w * h;
  uint32_t *fa = (uint32_t *)tf_buffer(TF_PLANES_A, n * 4), *fb = (uint32_t *)tf_buffer(TF_PLANES_B, n * 4);
  int WS = w < h ? w : h;
  if (WS > 11)
    WS = 11;
  v128_t *col = (v128_t *)tf_buffer(TF_SSIM_COLUMNS, (size_t)w * 5 * sizeof(v128_t));
  const uint32_t *ra = (const uint32_t *)tf_buffer(TF_SCORE_REF, 0), *cb = (const uint32_t *)tf_buffer(TF_SCORE_CAND, 0);
  if (!fa || !fb || !col || !ra || !cb || tf_buffer_size(TF_SCORE_REF) < n * 4 || tf_buffer_size(TF_SCORE_CAND) < n * 4)
    return -1;
  int bad = 0;
  uint32_t last_a = 0, last_b = 0, va = flat_pixel(0), vb = va;
  for (size_t p = 0; p < n; p++)
  {
    const uint32_t wa = ra[p], wb = cb[p];
    if (wa != last_a)
      va = flat_pixel(last_a = wa);
    if (wb != last_b)
      vb = flat_pixel(last_b = wb);
    fa[p] = va;
    fb[p] = vb;
    if (va != vb && is_bad(va, vb))
      bad++;
  }
  const double N = WS * WS;
  const int ww = w - WS + 1, wh = h - WS + 1;
  memset(col, 0, (size_t)w * 5 * sizeof(v128_t));
  v128_t tlo = wasm_f64x2_splat(0), thi = tlo, slo = tlo, shi = tlo;
  v128_t p0 = wasm_i32x4_splat(-1), p1 = p0, p2 = p0, p3 = p0, p4 = p0;
  for (int r = 0; r < wh + WS - 1; r++)
  {
    /* Row r enters every column; row r − WS leaves it. */
    const uint32_t *ax = fa + (size_t)r * w, *ay = fb + (size_t)r * w;
    const uint32_t *dx = r >= WS ? fa + (size_t)(r - WS) * w : 0, *dy = r >= WS ? fb + (size_t)(r - WS) * w : 0;
    for (int c = 0; c < w; c++)
    {
      v128_t *q = col + (size_t)c * 5;
      const v128_t x = lanes(ax[c]), y = lanes(ay[c]);
      q[0] = wasm_i32x4_add(q[0], x);
      q[1] = wasm_i32x4_add(q[1], y);
      q[2] = wasm_i32x4_add(q[2], wasm_i32x4_mul(x, x));
      q[3] = wasm_i32x4_add(q[3], wasm_i32x4_mul(y, y));
      q[4] = wasm_i32x4_add(q[4], wasm_i32x4_mul(x, y));
      if (dx)
      {
        const v128_t s = lanes(dx[c]), t = lanes(dy[c]);
        q[0] = wasm_i32x4_sub(q[0], s);
        q[1] = wasm_i32x4_sub(q[1], t);
        q[2] = wasm_i32x4_sub(q[2], wasm_i32x4_mul(s, s));
        q[3] = wasm_i32x4_sub(q[3], wasm_i32x4_mul(t, t));
        q[4] = wasm_i32x4_sub(q[4], wasm_i32x4_mul(s, t));
      }
    }
    if (r < WS - 1)
      continue;
    v128_t s0 = wasm_i32x4_splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0;
    for (int c = 0; c < WS - 1; c++)
    {
      const v128_t *q = col + (size_t)c * 5;
      s0 = wasm_i32x4_add(s0, q[0]);
      s1 = wasm_i32x4_add(s1, q[1]);
      s2 = wasm_i32x4_add(s2, q[2]);
      s3 = wasm_i32x4_add(s3, q[3]);
      s4 = wasm_i32x4_add(s4, q[4]);
    }
    for (int c = 0; c < ww; c++)
    {
      const v128_t *e = col + (size_t)(c + WS - 1) * 5, *b = col + (size_t)c * 5;
      s0 = wasm_i32x4_add(s0, e[0]);
      s1 = wasm_i32x4_add(s1, e[1]);
      s2 = wasm_i32x4_add(s2, e[2]);
      s3 = wasm_i32x4_add(s3, e[3]);
      s4 = wasm_i32x4_add(s4, e[4]);
      const v128_t changed = wasm_v128_or(
          wasm_v128_or(wasm_v128_xor(s0, p0), wasm_v128_xor(s1, p1)),
          wasm_v128_or(wasm_v128_or(wasm_v128_xor(s2, p2), wasm_v128_xor(s3, p3)), wasm_v128_xor(s4, p4)));
      if (wasm_v128_any_true(changed))
      {
        p0 = s0;
        p1 = s1;
        p2 = s2;
        p3 = s3;
        p4 = s4;
        slo = window_ssim(lo2(s0), lo2(s1), lo2(s2), lo2(s3), lo2(s4), N, c1, c2);
        shi = window_ssim(hi2(s0), hi2(s1), hi2(s2), hi2(s3), hi2(s4), N, c1, c2);
      }
      tlo = wasm_f64x2_add(tlo, slo);
      thi = wasm_f64x2_add(thi, shi);
      s0 = wasm_i32x4_sub(s0, b[0]);
      s1 = wasm_i32x4_sub(s1, b[1]);
      s2 = wasm_i32x4_sub(s2, b[2]);
      s3 = wasm_i32x4_sub(s3, b[3]);
      s4 = wasm_i32x4_sub(s4, b[4]);
    }
  }
  const double windows = (double)ww * wh;
  ssim4_result[0] = wasm_f64x2_extract_lane(tlo, 0) / windows;
  ssim4_result[1] = wasm_f64x2_extract_lane(tlo, 1) / windows;
  ssim4_result[2] = wasm_f64x2_extract_lane(thi, 0) / windows;
  ssim4_result[3] = wasm_f64x2_extract_lane(thi, 1) / windows;
  return bad;
}
#pragma clang attribute pop
