#!/usr/bin/env bash
# Measures a clean build of every target (no ccache) in a scratch directory:
# wall time and the peak resident memory of the largest compiler process.
# Usage: bench/build.sh [jobs]   (default: nproc)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-$(nproc)}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cmake -G Ninja -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir >/dev/null
export CCACHE_DISABLE=1
/usr/bin/time -f 'wall %e s, user %U s, peak RSS %M KiB' \
  ninja -C "$dir" -j "$jobs" >/dev/null
