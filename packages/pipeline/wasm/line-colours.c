/*
 * src/algorithms/palette.ts's lineColours, its two per-pixel scans, in the TypeScript's arithmetic:
 *
 * - tf_line_candidates: opaque (alpha ≥ 250) non-flat pixels next to flat colours (flat pixels'
 *   labels within 2 px, each once, in scan order) that no mix of two of those colours explains
 *   (squared RGB distance to the nearest mix ≥ 56²). Kept here, with their labels, for the rounds.
 * - tf_line_unexplained: of those, the ones that no mix of a neighbour colour with a line colour
 *   found so far explains; their packed RGB colours, in order, into TF_LINE_OUT.
 *
 * Inputs: TF_IMAGE (RGBA), TF_FLAT (the flat mask), TF_LABELS (int16 labels, −1 = none), TF_LINE_RGB
 * (the palette, then the line colours found so far, as int32 R, G, B triples).
 */
#include <stdint.h>
#include <stdlib.h>
#include "buffers.h"

#define LIMIT (56 * 56)

static int32_t *pixels, *starts;
static uint8_t *cands;
static size_t pixel_cap, cand_cap;
static int kept;

/* palette.ts: mixError — squared distance from (pr, pg, pb) to the nearest mix of colours a and b. */
static double mix_error(int pr, int pg, int pb, const int32_t *a, const int32_t *b)
{
  const int ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
  const int len = ux * ux + uy * uy + uz * uz;
  double t = 0;
  if (len)
  {
    t = (double)((pr - a[0]) * ux + (pg - a[1]) * uy + (pb - a[2]) * uz) / len;
    t = t > 1 ? 1 : t;
    t = t < 0 ? 0 : t;
  }
  const double dr = pr - a[0] - t * ux, dg = pg - a[1] - t * uy, db = pb - a[2] - t * uz;
  return dr * dr + dg * dg + db * db;
}

static int grow(size_t pixels_needed, size_t cands_needed)
{
  if (pixels_needed > pixel_cap)
  {
    size_t cap = pixels_needed * 2;
    int32_t *p = realloc(pixels, cap * 4), *s = realloc(starts, (cap + 1) * 4);
    if (p)
      pixels = p;
    if (s)
      starts = s;
    if (!p || !s)
      return -1;
    pixel_cap = cap;
  }
  if (cands_needed > cand_cap)
  {
    size_t cap = cands_needed * 2;
    uint8_t *c = realloc(cands, cap);
    if (!c)
      return -1;
    cands = c;
    cand_cap = cap;
  }
  return 0;
}

/* Returns how many candidates it kept, −1 without memory. `colours` ≤ 255 palette entries. */
__attribute__((export_name("tf_line_candidates"))) int tf_line_candidates(int w, int h, int colours)
{
  const size_t n = (size_t)w * h;
  const uint8_t *d = tf_buffer(TF_IMAGE, 0), *flat = tf_buffer(TF_FLAT, 0);
  const int16_t *labels = (const int16_t *)tf_buffer(TF_LABELS, 0);
  const int32_t *rgb = (const int32_t *)tf_buffer(TF_LINE_RGB, 0);
  int32_t *seen = (int32_t *)tf_buffer(TF_LINE_SEEN, (size_t)colours * 4);
  if (!d || !flat || !labels || !rgb || !seen || tf_buffer_size(TF_IMAGE) < n * 4 || tf_buffer_size(TF_FLAT) < n ||
      tf_buffer_size(TF_LABELS) < n * 2 || tf_buffer_size(TF_LINE_RGB) < (size_t)colours * 12 || colours > 255)
    return -1;
  for (int l = 0; l < colours; l++)
    seen[l] = -1;
  kept = 0;
  size_t used = 0;
  if (grow(64, 64 * 25))
    return -1;
  starts[0] = 0;
  uint8_t cand[25];
  for (int y = 0; y < h; y++)
  {
    for (int x = 0; x < w; x++)
    {
      const int p = y * w + x;
      const uint8_t *px = d + (size_t)p * 4;
      if (flat[p] || px[3] < 250)
        continue;
      /* palette.ts: flatNeighbourLabels. */
      int nc = 0;
      const int y0 = y - 2 < 0 ? 0 : y - 2, y1 = y + 2 > h - 1 ? h - 1 : y + 2;
      const int x0 = x - 2 < 0 ? 0 : x - 2, x1 = x + 2 > w - 1 ? w - 1 : x + 2;
      for (int yy = y0; yy <= y1; yy++)
        for (int xx = x0; xx <= x1; xx++)
        {
          const int q = yy * w + xx;
          if (!flat[q])
            continue;
          const int l = labels[q];
          if (l < 0 || seen[l] == p)
            continue;
          seen[l] = p;
          cand[nc++] = (uint8_t)l;
        }
      if (nc == 0)
        continue;
      int explained = 0;
      for (int s = 0; s < nc && !explained; s++)
        for (int t = s; t < nc; t++)
          if (mix_error(px[0], px[1], px[2], rgb + 3 * cand[s], rgb + 3 * cand[t]) < LIMIT)
          {
            explained = 1;
            break;
          }
      if (explained)
        continue;
      if (grow((size_t)kept + 1, used + (size_t)nc))
        return -1;
      pixels[kept] = p;
      for (int s = 0; s < nc; s++)
        cands[used++] = cand[s];
      starts[++kept] = (int32_t)used;
    }
  }
  return kept;
}

/*
 * The candidates no mix of one of their neighbour colours with a line colour explains (line colours:
 * TF_LINE_RGB's triples from `colours` on, `lines` of them); their packed colours go to TF_LINE_OUT.
 * Returns how many, −1 without memory.
 */
__attribute__((export_name("tf_line_unexplained"))) int tf_line_unexplained(int colours, int lines)
{
  const uint8_t *d = tf_buffer(TF_IMAGE, 0);
  const int32_t *rgb = (const int32_t *)tf_buffer(TF_LINE_RGB, 0);
  int32_t *out = (int32_t *)tf_buffer(TF_LINE_OUT, ((size_t)kept + 1) * 4);
  if (!d || !rgb || !out || tf_buffer_size(TF_LINE_RGB) < (size_t)(colours + lines) * 12)
    return -1;
  const int32_t *line = rgb + 3 * colours;
  int m = 0;
  for (int k = 0; k < kept; k++)
  {
    const uint8_t *px = d + (size_t)pixels[k] * 4;
    int explained = 0;
    for (int s = starts[k]; s < starts[k + 1] && !explained; s++)
      for (int L = 0; L < lines; L++)
        if (mix_error(px[0], px[1], px[2], rgb + 3 * cands[s], line + 3 * L) < LIMIT)
        {
          explained = 1;
          break;
        }
    if (!explained)
      out[m++] = (px[0] << 16) | (px[1] << 8) | px[2];
  }
  return m;
}
