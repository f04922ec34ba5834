#!/usr/bin/env bash
# Builds the nasc-fuzz libFuzzer target (clang-19, ASan + UBSan) in its own
# build directory and fuzzes the front end, the space model and the cost
# analyses with the grammar-driven generator for a short while (60 s by
# default), starting from the examples. Fails on any crash, sanitizer
# report or use of more than 4 GiB; inputs slower than 10 s are listed but
# do not fail it (folding the costs of some small spaces takes that long
# under the sanitizers, bench/RESULTS.md). Each such input is kept in
# $FUZZ_BUILD_DIR/fuzz-artifacts and is a .nas file that `nasc` reads
# (docs/cli.md, "nasc-fuzz").
#
# Usage: scripts/fuzz-smoke.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc)}
SECONDS_TO_FUZZ=${1:-60}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # -O1 without -DNDEBUG: assertions stay on, at ASan's usual level.
  CC=clang-19 CXX=clang++-19 cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE=-O1 -DCMAKE_CXX_FLAGS_RELEASE=-O1 \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
    -DNASC_FUZZER=ON
fi
ninja -C "$BUILD_DIR" -j "$JOBS" nasc-fuzz

corpus="$BUILD_DIR/fuzz-corpus"
artifacts="$BUILD_DIR/fuzz-artifacts"
mkdir -p "$corpus" "$artifacts"
cp examples/*.nas "$corpus/"

# allow_user_poisoning=0: see docs/cli.md. -max_len lets the generator write
# its deep-nesting and long-chain programs (up to 256 KiB). One forked
# worker, so that a slow input is recorded and fuzzing goes on.
# In fork mode libFuzzer exits with the timeout code (70) when a job still
# ran a slow input as time ran out; slow inputs are listed, not failures.
# Crashes and sanitizer reports exit with 77, anything else fails too.
status=0
ASAN_OPTIONS=allow_user_poisoning=0 \
  "$BUILD_DIR/bin/nasc-fuzz" "$corpus" \
  -max_total_time="$SECONDS_TO_FUZZ" -max_len=262144 \
  -timeout=10 -rss_limit_mb=4096 -fork=1 -ignore_timeouts=1 \
  -timeout_exitcode=70 -error_exitcode=77 \
  -artifact_prefix="$artifacts/" || status=$?
for slow in "$artifacts"/timeout-*; do
  [ -e "$slow" ] && echo "fuzz-smoke: slower than 10 s: $slow"
done
for crash in "$artifacts"/crash-* "$artifacts"/oom-* "$artifacts"/leak-*; do
  if [ -e "$crash" ]; then
    echo "fuzz-smoke: FAILED: $crash"
    status=1
  fi
done
if [ "$status" -ne 0 ] && [ "$status" -ne 70 ]; then
  echo "fuzz-smoke: FAILED: nasc-fuzz exited with $status"
  exit 1
fi
echo "fuzz-smoke: passed: no crash, sanitizer report or out-of-memory in $SECONDS_TO_FUZZ s"
