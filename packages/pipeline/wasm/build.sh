#!/usr/bin/env bash
# Rebuilds tracefleet.wasm from the C files beside this script: potrace's core (as esm-potrace-wasm
# 0.5.1 ships it), potrace-entry.c, pixel-stats.c, score.c,
# colour-counts.c, png-rows.c, gradients.c, upscale.c, line-colours.c, labels.c and buffers.c. Needs Debian's clang-14, lld-14,
# wasi-libc and libclang-rt-14-dev-wasm32; the built module is committed, so neither setup nor CI
# runs this. src/potrace.test.ts, src/algorithms/pixel-stats.test.ts and src/score.test.ts check the module
# (-ffp-contract=off: score.c must round exactly as JavaScript does).
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi -L/usr/lib/wasm32-wasi \
  -O3 -ffp-contract=off -mexec-model=reactor -Wno-everything -Wl,--strip-all \
  -o tracefleet.wasm buffers.c potrace-entry.c pixel-stats.c score.c colour-counts.c png-rows.c gradients.c upscale.c line-colours.c labels.c curve.c decompose.c potracelib.c trace.c
echo "tracefleet.wasm: $(wc -c < tracefleet.wasm) bytes"
