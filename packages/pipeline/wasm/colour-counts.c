/*
 * buildPalette's count of exact colours (src/algorithms/palette.ts: flatColourCounts): over the
 * opaque pixels of TF_IMAGE that are flat in TF_FLAT and not set in TF_MASK (when `masked`), the
 * pixel count per 0xRRGGBB colour, in order of first appearance (JavaScript's Map order, which
 * palette.ts's stable sort keeps for equal counts). Writes pairs (colour, count) as int32 into
 * TF_COUNTS and returns how many; the opaque pixel count is tf_opaque_count(). −1 without memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buffers.h"

static uint32_t *keys;  /* colour + 1; 0 = empty */
static int32_t *slots;  /* index of the colour's pair */
static uint32_t capacity; /* power of two */
static uint32_t opaque_count;

__attribute__((export_name("tf_opaque_count"))) uint32_t tf_opaque_count(void)
{
  return opaque_count;
}

static uint32_t hash(uint32_t c)
{
  return (c * 2654435761u) >> 8;
}

/* A table of at least `want` slots, all empty (slots are cleared after each use, see below). */
static int reserve_table(uint32_t want)
{
  if (want <= capacity)
    return 1;
  uint32_t cap = capacity ? capacity : 4096;
  while (cap < want)
    cap *= 2;
  free(keys);
  free(slots);
  keys = calloc(cap, sizeof *keys);
  slots = malloc(cap * sizeof *slots);
  capacity = keys && slots ? cap : 0;
  return capacity != 0;
}

/* Adds `count` to colour c; pairs holds (colour, count) in first-appearance order. */
static int add(int32_t *pairs, uint32_t *entries, uint32_t c, int32_t count)
{
  uint32_t mask = capacity - 1, h = hash(c) & mask;
  while (keys[h])
  {
    if (keys[h] == c + 1)
    {
      pairs[2 * slots[h] + 1] += count;
      return 0;
    }
    h = (h + 1) & mask;
  }
  keys[h] = c + 1;
  slots[h] = (int32_t)*entries;
  pairs[2 * *entries] = (int32_t)c;
  pairs[2 * *entries + 1] = count;
  (*entries)++;
  return 1;
}

__attribute__((export_name("tf_colour_counts"))) int tf_colour_counts(int w, int h, int alpha_threshold, int masked)
{
  size_t n = (size_t)w * h;
  const uint8_t *d = tf_buffer(TF_IMAGE, 0), *flat = tf_buffer(TF_FLAT, 0), *mask = tf_buffer(TF_MASK, 0);
  int32_t *pairs = (int32_t *)tf_buffer(TF_COUNTS, n * 8);
  if (!d || !flat || !pairs || tf_buffer_size(TF_IMAGE) < n * 4 || tf_buffer_size(TF_FLAT) < n ||
      (masked && (!mask || tf_buffer_size(TF_MASK) < n)))
    return -1;
  /* Up to n colours at a load of at most ½: a table of 2n slots covers every image. */
  if (!reserve_table(n < 2048 ? 4096 : (uint32_t)(2 * n)))
    return -1;
  uint32_t entries = 0, opaque = 0;
  uint32_t run_colour = 0;
  int32_t run = 0;
  for (size_t p = 0; p < n; p++)
  {
    const uint8_t *px = d + p * 4;
    if (px[3] < alpha_threshold)
      continue;
    opaque++;
    if (!flat[p] || (masked && mask[p]))
      continue;
    uint32_t c = ((uint32_t)px[0] << 16) | ((uint32_t)px[1] << 8) | px[2];
    if (run && c == run_colour)
    {
      run++;
      continue;
    }
    if (run)
      add(pairs, &entries, run_colour, run);
    run_colour = c;
    run = 1;
  }
  if (run)
    add(pairs, &entries, run_colour, run);
  /* Empty the table again, slot by slot: proportional to the colours, not to its size. */
  for (uint32_t k = 0; k < entries; k++)
  {
    uint32_t c = (uint32_t)pairs[2 * k], m = capacity - 1, s = hash(c) & m;
    while (keys[s] != c + 1)
      s = (s + 1) & m;
    keys[s] = 0;
  }
  opaque_count = opaque;
  return (int)entries;
}
