/*
 * PNG scanlines → RGBA: undoes the five row filters and expands every non-interlaced 8-bit-or-less
 * colour type to 8-bit RGBA as libvips' PNG loader does (grey replicated and scaled to 0–255,
 * palette and tRNS colour keys applied). src/png.ts parses the chunks and inflates; anything this
 * does not take (16-bit, interlaced, bad filter or palette index) goes to sharp instead.
 */
#include <stdint.h>
#include <string.h>
#include "buffers.h"

static inline uint8_t paeth(int a, int b, int c)
{
  int p = a + b - c;
  int pa = p > a ? p - a : a - p;
  int pb = p > b ? p - b : b - p;
  int pc = p > c ? p - c : c - p;
  if (pa <= pb && pa <= pc)
    return (uint8_t)a;
  return (uint8_t)(pb <= pc ? b : c);
}

/* Undoes one row's filter in place; prev is the previous unfiltered row or NULL for the first. */
static int unfilter(int filter, uint8_t *cur, const uint8_t *prev, size_t n, size_t bpp)
{
  size_t i;
  switch (filter)
  {
  case 0:
    return 0;
  case 1:
    for (i = bpp; i < n; i++)
      cur[i] += cur[i - bpp];
    return 0;
  case 2:
    if (prev)
      for (i = 0; i < n; i++)
        cur[i] += prev[i];
    return 0;
  case 3:
    if (prev)
    {
      for (i = 0; i < bpp; i++)
        cur[i] += prev[i] >> 1;
      for (; i < n; i++)
        cur[i] += (uint8_t)((cur[i - bpp] + prev[i]) >> 1);
    }
    else
      for (i = bpp; i < n; i++)
        cur[i] += cur[i - bpp] >> 1;
    return 0;
  case 4:
    if (prev)
    {
      for (i = 0; i < bpp; i++)
        cur[i] += prev[i];
      for (; i < n; i++)
        cur[i] += paeth(cur[i - bpp], prev[i], prev[i - bpp]);
    }
    else /* with a zero row above, Paeth predicts the left neighbour */
      for (i = bpp; i < n; i++)
        cur[i] += cur[i - bpp];
    return 0;
  }
  return -1;
}

/*
 * width × height pixels of colour_type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA) at depth bits
 * per sample (1, 2, 4 or 8; only 8 for types 2, 4, 6) from TF_PNG_ROWS (height rows of one filter
 * byte and the row's bytes) into TF_PNG_RGBA. palette_size entries of TF_PNG_PALETTE (RGBA) for type 3;
 * key_r/g/b: the tRNS colour key for types 0 (key_r) and 2, or -1. Returns 0, or -1 for a bad filter
 * type, -2 for a palette index out of range, -3 for no memory.
 */
__attribute__((export_name("tf_png_rows"))) int tf_png_rows(int width, int height, int colour_type, int depth,
                                                               int palette_size, int key_r, int key_g, int key_b)
{
  const int channels = colour_type == 2 ? 3 : colour_type == 4 ? 2 : colour_type == 6 ? 4 : 1;
  const size_t bits = (size_t)channels * depth;
  const size_t rowbytes = ((size_t)width * bits + 7) / 8;
  const size_t bpp = bits >= 8 ? bits / 8 : 1;
  uint8_t *out = tf_buffer(TF_PNG_RGBA, (size_t)width * height * 4);
  uint8_t *rows = tf_buffer(TF_PNG_ROWS, 0);
  const uint8_t *palette = tf_buffer(TF_PNG_PALETTE, 0);
  if (!out || !rows || tf_buffer_size(TF_PNG_ROWS) < (rowbytes + 1) * height)
    return -3;
  const int max = (1 << depth) - 1;
  const int scale = 255 / max; /* 255, 85, 17 or 1: libvips' expansion of low bit depths */
  const uint8_t *prev = 0;
  for (int y = 0; y < height; y++)
  {
    uint8_t *line = rows + (size_t)y * (rowbytes + 1);
    uint8_t *cur = line + 1;
    if (unfilter(line[0], cur, prev, rowbytes, bpp))
      return -1;
    prev = cur;
    uint8_t *o = out + (size_t)y * width * 4;
    switch (colour_type)
    {
    case 6:
      memcpy(o, cur, (size_t)width * 4);
      break;
    case 2:
      for (int x = 0; x < width; x++, o += 4, cur += 3)
      {
        o[0] = cur[0], o[1] = cur[1], o[2] = cur[2];
        o[3] = cur[0] == key_r && cur[1] == key_g && cur[2] == key_b ? 0 : 255;
      }
      break;
    case 4:
      for (int x = 0; x < width; x++, o += 4, cur += 2)
        o[0] = o[1] = o[2] = cur[0], o[3] = cur[1];
      break;
    default: /* 0 and 3: samples of depth bits, packed from the high bits */
      for (int x = 0; x < width; x++, o += 4)
      {
        const size_t bit = (size_t)x * depth;
        const int s = (cur[bit >> 3] >> (8 - depth - (int)(bit & 7))) & max;
        if (colour_type == 3)
        {
          if (s >= palette_size)
            return -2;
          memcpy(o, palette + 4 * s, 4);
        }
        else
        {
          o[0] = o[1] = o[2] = (uint8_t)(s * scale);
          o[3] = s == key_r ? 0 : 255;
        }
      }
    }
  }
  return 0;
}
