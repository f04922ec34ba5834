#!/usr/bin/env bash
# Front-end throughput: compiles generated layer-wise specs of growing size
# (N `choose` layers over FBNet's 9 blocks, each expanded in the IR) and the
# examples, and reports the median of 5 runs of `nasc --emit=mlir`.
# Usage: bench/frontend.sh [path/to/nasc]
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-build/bin/nasc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

generate() { # layers
  cat <<HEAD
dataset imagenet { input = [3, 224, 224]; classes = 1000; }
ops blocks {
  k3_e1: mbconv(kernel = 3, expand = 1); k3_e1_g2: mbconv(kernel = 3, expand = 1, groups = 2);
  k3_e3: mbconv(kernel = 3, expand = 3); k3_e6: mbconv(kernel = 3, expand = 6);
  k5_e1: mbconv(kernel = 5, expand = 1); k5_e1_g2: mbconv(kernel = 5, expand = 1, groups = 2);
  k5_e3: mbconv(kernel = 5, expand = 3); k5_e6: mbconv(kernel = 5, expand = 6);
  skip: identity;
}
network net {
  conv(out = 16, kernel = 3, stride = 2);
HEAD
  for ((i = 0; i < $1; i++)); do
    echo "  l$i: choose blocks(out = 32, wbits = {4, 8});"
  done
  echo "  global_avg_pool -> fc(out = classes);"
  echo "}"
}

median_ms() { # file
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s%N)
    "$nasc" "$1" --emit=mlir -o /dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

printf '%-28s %10s %10s %12s\n' input bytes ops median_ms
for n in 100 1000 10000; do
  generate "$n" >"$tmp/layers$n.nas"
  ops=$("$nasc" "$tmp/layers$n.nas" --emit=mlir | grep -c 'nas\.')
  printf '%-28s %10s %10s %12s\n' "generated, $n layers" \
    "$(wc -c <"$tmp/layers$n.nas")" "$ops" "$(median_ms "$tmp/layers$n.nas")"
done
for f in examples/*.nas; do
  ops=$("$nasc" "$f" --emit=mlir | grep -c 'nas\.')
  printf '%-28s %10s %10s %12s\n' "$f" "$(wc -c <"$f")" "$ops" "$(median_ms "$f")"
done
