/*
 * A small picture upscaled by a whole factor k for tracing, to the byte what src/decode.ts got from
 * sharp before (its input extended by two copied border pixels, then `affine([k,0,0,k])` with
 * libvips' bicubic interpolator and odx = ody = (k − 1)/2, then the border cropped off) at a
 * fraction of its cost: libvips 8.17's affine, step for step, for this one case:
 *
 * - alpha premultiplied into floats (premultiply.c: nalpha = (float) alpha / 255.0);
 * - output pixel X maps to input x = ia·(X − odx) + 2 in the embedded frame (the input embedded by
 *   window_offset + 1 = 2, idx = −1, window_offset 1 added), x advanced by ia per pixel along a row
 *   from X = 0 as affine.c does (a row is generated whole);
 * - Catmull-Rom weights from the 65-entry table of x's fraction rounded to 1/64 (bicubic.cpp),
 *   each row of the 4 × 4 window summed in double and rounded to float, then the column;
 * - unpremultiplied (factor = 255.0 / alpha as float, 0 where |alpha| < 0.01; alpha clipped to 0–255) and
 *   cast to 8 bits by clipping and truncating (cast.c).
 *
 * src/upscale.test.ts compares it with sharp for k = 2, 3, 4 on random and corpus pixels.
 * Buffers: TF_UPSCALE_IN holds the w × h RGBA input; TF_UPSCALE_FLOAT its premultiplied floats with
 * the two-pixel border; TF_UPSCALE_COLUMNS and TF_UPSCALE_ROWS the horizontal pass; TF_UPSCALE_OUT
 * the (w·k) × (h·k) RGBA result.
 */
#include <math.h>
#include <stdint.h>
#include "buffers.h"

#define SCALE 64 /* VIPS_TRANSFORM_SCALE */

static double matrix[SCALE + 1][4];
static int matrix_ready;

/* bicubic.cpp's table, built as vips_interpolate_bicubic_class_init builds it. */
static void build_matrix(void)
{
  for (int x = 0; x < SCALE + 1; x++)
  {
    const double t = (float)x / SCALE;
    const double cr1 = 1. - t;
    const double cr2 = -.5 * t;
    const double cr3 = cr1 * cr2;
    const double cone = cr1 * cr3;
    const double cfou = t * cr3;
    const double cr4 = cfou - cone;
    const double ctwo = cr1 - cone + cr4;
    const double cthr = t - cfou - cr4;
    matrix[x][0] = cone;
    matrix[x][1] = ctwo;
    matrix[x][2] = cthr;
    matrix[x][3] = cfou;
  }
  matrix_ready = 1;
}

#pragma clang attribute push(__attribute__((target("simd128"))), apply_to = function)
#include <wasm_simd128.h>

/*
 * templates.h: cubic_float<float> — (float)(c0·one + c1·two + c2·thr + c3·fou) in double — for the
 * four channels of a pixel at once: two lanes of doubles per half, each lane the scalar expression
 * in its order (no fused multiply-add), rounded to float as the cast does.
 */
static inline v128_t cubic_half(v128_t one, v128_t two, v128_t thr, v128_t fou, const v128_t *c)
{
  v128_t s = wasm_f64x2_add(wasm_f64x2_mul(c[0], one), wasm_f64x2_mul(c[1], two));
  s = wasm_f64x2_add(s, wasm_f64x2_mul(c[2], thr));
  s = wasm_f64x2_add(s, wasm_f64x2_mul(c[3], fou));
  return wasm_f32x4_demote_f64x2_zero(s);
}

static inline v128_t high(v128_t v)
{
  return wasm_i32x4_shuffle(v, v, 2, 3, 2, 3);
}

/* The four channels of cubic(p0[z], p1[z], p2[z], p3[z]), z = 0–3, as four floats. */
static inline v128_t cubic4(const float *p0, const float *p1, const float *p2, const float *p3, const v128_t *c)
{
  const v128_t a = wasm_v128_load(p0), b = wasm_v128_load(p1), d = wasm_v128_load(p2), e = wasm_v128_load(p3);
  const v128_t lo = cubic_half(wasm_f64x2_promote_low_f32x4(a), wasm_f64x2_promote_low_f32x4(b),
                               wasm_f64x2_promote_low_f32x4(d), wasm_f64x2_promote_low_f32x4(e), c);
  const v128_t hi = cubic_half(wasm_f64x2_promote_low_f32x4(high(a)), wasm_f64x2_promote_low_f32x4(high(b)),
                               wasm_f64x2_promote_low_f32x4(high(d)), wasm_f64x2_promote_low_f32x4(high(e)), c);
  return wasm_i32x4_shuffle(lo, hi, 0, 1, 4, 5);
}

/* A table row's four weights, each in both lanes. */
static inline void weights(const double *m, v128_t *c)
{
  for (int i = 0; i < 4; i++)
    c[i] = wasm_f64x2_splat(m[i]);
}

/* Returns 0, or −1 without memory. */
__attribute__((export_name("tf_upscale"))) int tf_upscale(int w, int h, int k)
{
  if (!matrix_ready)
    build_matrix();
  const int pw = w + 4, ph = h + 4;
  const size_t pn = (size_t)pw * ph;
  const uint8_t *in = tf_buffer(TF_UPSCALE_IN, 0);
  float *pre = (float *)tf_buffer(TF_UPSCALE_FLOAT, pn * 4 * sizeof(float));
  const int ow = w * k, oh = h * k;
  uint8_t *out = tf_buffer(TF_UPSCALE_OUT, (size_t)ow * oh * 4);
  if (!in || !pre || !out || tf_buffer_size(TF_UPSCALE_IN) < (size_t)w * h * 4)
    return -1;
  /* The border: sharp's extend with 'copy' repeats the edge pixels. */
  for (int py = 0; py < ph; py++)
    for (int px = 0; px < pw; px++)
    {
      const int sx = px < 2 ? 0 : px - 2 >= w ? w - 1 : px - 2;
      const int sy = py < 2 ? 0 : py - 2 >= h ? h - 1 : py - 2;
      const uint8_t *s = in + 4 * ((size_t)sy * w + sx);
      float *t = pre + 4 * ((size_t)py * pw + px);
      const float nalpha = (float)((double)(float)s[3] / 255.0);
      t[0] = s[0] * nalpha;
      t[1] = s[1] * nalpha;
      t[2] = s[2] * nalpha;
      t[3] = s[3];
    }
  /* transform.c: the inverse of [k 0 0 k]. */
  const double a = k, d = k, b = 0, c = 0;
  const double tmp = 1.0 / (a * d - b * c);
  const double ia = tmp * d, ib = -tmp * b, ic = -tmp * c, id = tmp * a;
  const double odx = (k - 1) / 2.0, ody = odx, idx = -1, idy = -1;
  const int pad = 2 * k; /* the output's copy of the two-pixel border, cropped */
  const int bigw = pw * k;
  /*
   * Each window row's sum depends only on the input row and the output column, so it is computed once
   * per (input row, output column) and shared by the k output rows that read it: the same arithmetic
   * as libvips' per-pixel 4 × 4 sums, a quarter of the work.
   */
  int *x0s = (int *)tf_buffer(TF_UPSCALE_COLUMNS, (size_t)ow * 2 * sizeof(int));
  float *rows = (float *)tf_buffer(TF_UPSCALE_ROWS, (size_t)ph * ow * 4 * sizeof(float));
  if (!x0s || !rows)
    return -1;
  {
    const double ox = 0 - odx;
    const double oy = pad - ody;
    double ix = ia * ox + ib * oy;
    ix -= idx;
    ix += 1;
    for (int X = 0; X < bigw; X++, ix += ia)
    {
      if (X < pad || X >= pad + ow)
        continue;
      const int sx = (int)(ix * SCALE * 2);
      x0s[2 * (X - pad)] = (int)ix - 3; /* embedded (ix − 1) less the embedding's 2 */
      x0s[2 * (X - pad) + 1] = ((sx & (SCALE * 2 - 1)) + 1) >> 1;
    }
  }
  for (int y = 0; y < ph; y++)
  {
    float *h = rows + (size_t)y * ow * 4;
    const float *line = pre + (size_t)y * pw * 4;
    for (int X = 0; X < ow; X++)
    {
      const float *p = line + (size_t)x0s[2 * X] * 4;
      v128_t cx[4];
      weights(matrix[x0s[2 * X + 1]], cx);
      wasm_v128_store(h + 4 * X, cubic4(p, p + 4, p + 8, p + 12, cx));
    }
  }
  for (int Y = pad; Y < pad + oh; Y++)
  {
    const double ox = 0 - odx;
    const double oy = Y - ody;
    double iy = ic * ox + id * oy;
    iy -= idy;
    iy += 1;
    const int sy = (int)(iy * SCALE * 2);
    v128_t cy[4];
    weights(matrix[((sy & (SCALE * 2 - 1)) + 1) >> 1], cy);
    const float *r0 = rows + (size_t)((int)iy - 3) * ow * 4;
    const float *r1 = r0 + (size_t)ow * 4, *r2 = r1 + (size_t)ow * 4, *r3 = r2 + (size_t)ow * 4;
    uint8_t *q = out + (size_t)(Y - pad) * ow * 4;
    for (int X = 0; X < ow; X++, q += 4)
    {
      float v[4];
      wasm_v128_store(v, cubic4(r0 + 4 * X, r1 + 4 * X, r2 + 4 * X, r3 + 4 * X, cy));
      /* unpremultiply.c (its float path), then cast.c's clip and truncation to 8 bits. */
      const float alpha = v[3];
      const float factor = fabs((double)alpha) < 0.01 ? 0 : (float)(255.0 / alpha);
      for (int z = 0; z < 3; z++)
      {
        const double f = (double)(factor * v[z]);
        q[z] = (uint8_t)(f < 0 ? 0 : f > 255 ? 255 : f);
      }
      const float ca = (float)(alpha < 0 ? 0 : alpha > 255.0 ? 255.0 : alpha);
      const double fa = (double)ca;
      q[3] = (uint8_t)(fa < 0 ? 0 : fa > 255 ? 255 : fa);
    }
  }
  return 0;
}
#pragma clang attribute pop
