#!/usr/bin/env bash
# Scale and start-up (issue #13).
#  1. Long chains: `relu -> relu -> ...` of N ops, through the front end,
#     the verifier, the space and the cost analysis (`--emit=candidates`),
#     median of 3 runs; time should grow linearly with N.
#  2. Start-up: CPU time (perf's task-clock, or wall time without perf) of
#     nasc doing nothing (--version) and printing the NB201 summary, beside
#     the floor set by the libraries it loads: a program that only links
#     Debian's shared libMLIR.so + libLLVM.so, and the same program linked
#     with the static MLIR/LLVM archives.
# Usage: bench/scale.sh [path/to/nasc]
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-build/bin/nasc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median_s() { # command...
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p | awk '{printf "%.2f", $1 / 1000}'
}

echo "== chains (nasc --emit=candidates)"
echo "ops,seconds"
for n in 25000 50000 100000 200000; do
  python3 test/nasc/Inputs/gen_spec.py chain "$n" > "$tmp/chain$n.nas"
  echo "$n,$(median_s "$nasc" "$tmp/chain$n.nas" --emit=candidates)"
done

echo "== start-up (ms of CPU, mean of 20 runs)"
cat > "$tmp/floor.cpp" <<'CPP'
#include "mlir/IR/MLIRContext.h"
#include <cstdio>
int main(int argc, char **) {
  if (argc > 5) {
    mlir::MLIRContext context;
  }
  std::puts("x");
}
CPP
llvm=/usr/lib/llvm-19
g++ -O2 -I$llvm/include "$tmp/floor.cpp" -o "$tmp/floor-shared" \
  -L$llvm/lib -lMLIR -lLLVM -Wl,-rpath,$llvm/lib
g++ -O2 -I$llvm/include "$tmp/floor.cpp" -o "$tmp/floor-static" \
  $llvm/lib/libMLIRIR.a $llvm/lib/libMLIRSupport.a $llvm/lib/libLLVMSupport.a \
  $llvm/lib/libLLVMDemangle.a -lz -l:libzstd.so.1 -ltinfo -lpthread
cpu_ms() { # command...
  if perf stat -e task-clock true > /dev/null 2>&1; then
    perf stat -r 20 -x, -e task-clock "$@" 2>&1 > /dev/null | awk -F, '/task-clock/ {printf "%.1f", $1}'
  else
    local start end
    start=$(date +%s%N)
    for _ in $(seq 20); do "$@" > /dev/null; done
    end=$(date +%s%N)
    awk -v t=$((end - start)) 'BEGIN {printf "%.1f (wall)", t / 20 / 1e6}'
  fi
}
echo "program,ms"
echo "true,$(cpu_ms true)"
echo "MLIR+LLVM static (floor),$(cpu_ms "$tmp/floor-static")"
echo "MLIR+LLVM shared (floor),$(cpu_ms "$tmp/floor-shared")"
echo "nasc --version,$(cpu_ms "$nasc" --version)"
echo "nasc examples/nb201.nas,$(cpu_ms "$nasc" examples/nb201.nas)"
