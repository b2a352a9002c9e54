/* Grow-only buffers that JavaScript fills and reads (buffers.c): one per slot, kept between calls. */
#ifndef TF_BUFFERS_H
#define TF_BUFFERS_H
#include <stddef.h>

enum
{
  TF_POTRACE_MASK = 0, /* potrace-entry.c: the layer mask */
  TF_IMAGE = 1,        /* pixel-stats.c: RGBA pixels */
  TF_FLAT = 2,         /* pixel-stats.c: the flat mask it writes */
  TF_SLOTS = 3
};

/* The slot's buffer, grown to at least size bytes (NULL when memory runs out). */
unsigned char *tf_buffer(int slot, size_t size);
/* Its current size in bytes. */
size_t tf_buffer_size(int slot);
#endif
