#include <stdlib.h>
#include "buffers.h"

static unsigned char *buffers[TF_SLOTS];
static size_t sizes[TF_SLOTS];

__attribute__((export_name("tf_buffer"))) unsigned char *tf_buffer(int slot, size_t size)
{
  if (slot < 0 || slot >= TF_SLOTS)
    return 0;
  if (size < 1)
    size = 1;
  if (size > sizes[slot])
  {
    free(buffers[slot]);
    buffers[slot] = malloc(size);
    sizes[slot] = buffers[slot] ? size : 0;
  }
  return buffers[slot];
}

size_t tf_buffer_size(int slot)
{
  return slot >= 0 && slot < TF_SLOTS ? sizes[slot] : 0;
}
