/* Grow-only buffers that JavaScript fills and reads (buffers.c): one per slot, kept between calls. */
#ifndef TF_BUFFERS_H
#define TF_BUFFERS_H
#include <stddef.h>

enum
{
  TF_POTRACE_MASK = 0, /* potrace-entry.c: the layer mask */
  TF_IMAGE = 1,        /* pixel-stats.c, colour-counts.c: RGBA pixels */
  TF_FLAT = 2,         /* pixel-stats.c: the flat mask it writes; colour-counts.c: the one it reads */
  TF_SCORE_REF = 3,    /* score.c: the reference's RGBA pixels */
  TF_SCORE_CAND = 4,   /* score.c: the candidate's RGBA pixels */
  TF_PLANES_A = 5,     /* score.c: the reference's planes (R, G, B, luma) */
  TF_PLANES_B = 6,     /* score.c: the candidate's planes */
  TF_SCORE_ACC = 7,    /* score.c: row sums of the half-resolution planes */
  TF_SSIM_COLUMNS = 8, /* score.c: SSIM column sums */
  TF_SSIM_X = 9,       /* score.c: planes handed in for one SSIM */
  TF_SSIM_Y = 10,
  TF_MASK = 11,        /* colour-counts.c: pixels left out */
  TF_COUNTS = 12,      /* colour-counts.c: (colour, count) pairs */
  TF_PNG_ROWS = 13,    /* png-rows.c: the inflated, filtered scanlines (unfiltered in place) */
  TF_PNG_PALETTE = 14, /* png-rows.c: the palette as RGBA, tRNS applied */
  TF_PNG_RGBA = 15,    /* png-rows.c: the RGBA pixels it writes */
  TF_SMOOTH_VISITED = 16, /* gradients.c: pixels already flooded */
  TF_SMOOTH_QUEUE = 17,   /* gradients.c: the flood's queue; the last region's pixels */
  TF_GRADIENT_T = 18,     /* gradients.c: each region pixel's position along the gradient (double) */
  TF_UPSCALE_IN = 19,     /* upscale.c: the RGBA pixels to upscale */
  TF_UPSCALE_FLOAT = 20,  /* upscale.c: them premultiplied, as floats, with a border */
  TF_UPSCALE_OUT = 21,    /* upscale.c: the upscaled RGBA pixels */
  TF_UPSCALE_COLUMNS = 22, /* upscale.c: each output column's window start and weights */
  TF_UPSCALE_ROWS = 23,    /* upscale.c: each input row's sums per output column */
  TF_INK_MASK = 24,        /* score.c: the input's ink mask (algorithms/ink.ts) */
  TF_LABELS = 25,          /* line-colours.c: the pixels' palette labels (int16, -1 = none) */
  TF_LINE_RGB = 26,        /* line-colours.c: palette and line colours as int32 R, G, B */
  TF_LINE_SEEN = 27,       /* line-colours.c: last pixel that collected each label */
  TF_LINE_OUT = 28,        /* line-colours.c: unexplained candidates' colours */
  TF_SCORE_SMALL = 29,     /* score.c: the reference at the score's resolution (tf_score_shrink) */
  TF_LABEL_IMAGE = 30,     /* labels.c: RGBA pixels */
  TF_LABEL_MAP = 31,       /* labels.c: int16 labels (assigned; refined or filtered from) */
  TF_LABEL_LABS = 32,      /* labels.c: the palette's Lab triples (double) */
  TF_LABEL_LINEAR = 33,    /* labels.c: color.ts's sRGB → linear table (256 doubles) */
  TF_LABEL_FLAT = 34,      /* labels.c: the flat mask */
  TF_LABEL_RGB = 35,       /* labels.c: the palette as int32 R, G, B triples, then a line flag per colour */
  TF_LABEL_OUT = 36,       /* labels.c: the refined or filtered labels */
  TF_SLOTS = 40
};

/* The slot's buffer, grown to at least size bytes (NULL when memory runs out). */
unsigned char *tf_buffer(int slot, size_t size);
/* Its current size in bytes. */
size_t tf_buffer_size(int slot);
#endif
