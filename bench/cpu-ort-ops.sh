#!/bin/sh
# Which layer kinds are behind ONNX Runtime (issue 20): single-layer
# networks shaped like FBNet's at 224x224 (bench/ops/*.nas: 1x1 expansions
# and projections, depthwise 3x3 and 5x5 at stride 1 and 2, the stem, the
# classifier), each compiled by nasc --emit=cpu and exported by --emit=onnx
# with the same seeded weights, timed at batch BATCH with one thread pinned
# to core $NASC_BENCH_CORE (default 1), ours and ORT alternated ROUNDS
# times (each side's fastest median kept). Prints per layer: ours, ORT,
# ours/ORT and our GFLOP/s (2 x the layer's multiply-adds, from
# --emit=candidates); writes bench/cpu-ort-ops.csv.
# Usage: bench/cpu-ort-ops.sh [BATCH] [REPEATS] [ROUNDS]   (default 1 20 3)
set -e
cd "$(dirname "$0")/.."
B=${1:-1}
R=${2:-20}
K=${3:-3}
. bench/ort-common.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=bench/cpu-ort-ops.csv
echo "layer,batch,macs,ours_ms,ort_ms,ratio,ours_gflops" > "$OUT"
for spec in bench/ops/*.nas; do
  name=$(basename "$spec" .nas)
  d=$TMP/$name
  $NASC "$spec" --emit=onnx -o "$d.onnx"
  $NASC "$spec" --emit=cpu -o "$d"
  macs=$($NASC "$spec" --emit=candidates | tail -n 1 | cut -d, -f2)
  ort_build "$d" "$d.onnx"
  ours=1e9
  ort=1e9
  k=0
  while [ $k -lt "$K" ]; do
    o=$($ONE "$d/time" "$B" 1 "$R" 3 | cut -d' ' -f1)
    t=$(ort_time "$ONE" "$d.onnx" "$B" 1 "$R" 3 | cut -d' ' -f1)
    ours=$(/usr/bin/python3 -c "print(min($ours, $o))")
    ort=$(/usr/bin/python3 -c "print(min($ort, $t))")
    k=$((k + 1))
  done
  /usr/bin/python3 - "$name" "$B" "$macs" "$ours" "$ort" >> "$OUT" <<'PY'
import sys
name, batch, macs, ours, ort = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print(f"{name},{batch},{macs},{ours:.4f},{ort:.4f},{ours / ort:.2f},{2 * macs * batch / ours / 1e6:.1f}")
PY
  tail -n 1 "$OUT"
done
