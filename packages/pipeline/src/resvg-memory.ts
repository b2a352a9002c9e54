/**
 * resvg-js allocates with its own mimalloc, which by default hands freed memory back to the OS 10 ms
 * after a free (`purge_delay`). Scoring renders a fresh 512² canvas (two 1 MB buffers) every few tens
 * of milliseconds, so every render faulted its canvases in again: ≈ 260 page faults per render, a
 * large share of the render's CPU where faults are expensive (as on our CI machines). Freed memory
 * kept for a second (MIMALLOC_PURGE_DELAY=1000) is reused while the worker is busy and still returned
 * when it idles. Measured in one process over the corpus (score stage, min of 3 per logo, median; two
 * runs each): 6.05 / 6.61 ms → 5.34 / 5.86 ms (never purging, -1: 5.32 / 5.27; every SVG and score
 * identical: only the allocator's timing changes). mimalloc reads its options when the addon loads,
 * so this runs before the first import of @resvg/resvg-js (resvg.ts) and leaves a value set by the
 * operator alone.
 */
process.env.MIMALLOC_PURGE_DELAY ??= '1000';
