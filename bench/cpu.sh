#!/bin/sh
# Emitted CPU code versus LibTorch 1.13 eager forward, one thread on one
# core, batch 1 and 64, on N random candidates of NB201 (CIFAR 32x32) and
# of FBNet (its 224x224 input reduced to 112x112 to keep the run short).
# Also this core's peak float32 GFLOP/s (bench/peak.c: independent FMAs).
# Writes bench/cpu-<space>.csv and prints, per space and batch size, the
# median of the latency ratios (ours / LibTorch) and GFLOP/s.
# Usage: bench/cpu.sh [N] [REPEATS]   (default 20 candidates, 5 repeats)
# on core $NASC_BENCH_CORE (default 1): pick one nothing else runs on.
set -e
cd "$(dirname "$0")/.."
N=${1:-20}
R=${2:-5}
CORE="taskset -c ${NASC_BENCH_CORE:-1}"
command -v taskset > /dev/null || CORE=
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cc -O2 -march=native bench/peak.c -o "$TMP/peak"
$CORE "$TMP/peak" | tee "$TMP/peak.txt"
PEAK=$(awk '{ if ($2 > p) p = $2 } END { print p }' "$TMP/peak.txt")

export NASC_EVAL_LIBRARY="$PWD/build/lib/libNASCEval.so"
sed 's/input = \[3, 224, 224\]/input = [3, 112, 112]/' examples/fbnet.nas \
  > "$TMP/fbnet.nas"
for space in nb201 fbnet; do
  spec=examples/$space.nas
  [ $space = fbnet ] && spec=$TMP/fbnet.nas
  OMP_NUM_THREADS=1 $CORE build/bin/nasc measure "$spec" --sample "$N" \
    --seed 1 --batch 1,64 --warmup 1 --repeats "$R" --torch --csv \
    > bench/cpu-$space.csv
  python3 - "$space" bench/cpu-$space.csv "$PEAK" <<'PY'
import csv, statistics, sys
space, path, peak = sys.argv[1], sys.argv[2], float(sys.argv[3])
rows = list(csv.DictReader(open(path)))
for b in ("1", "64"):
    sel = [x for x in rows if x["batch"] == b]
    r = [float(x["median_ms"]) / float(x["torch_median_ms"]) for x in sel]
    g = [float(x["gflops"]) for x in sel]
    tg = [2 * float(x["macs"]) * int(b) / (float(x["torch_median_ms"]) * 1e6)
          for x in sel]
    print(f"{space} batch {b}: {len(r)} candidates, latency ratio median "
          f"{statistics.median(r):.2f} (min {min(r):.2f}, max {max(r):.2f}), "
          f"{sum(x < 1 for x in r)} faster; ours median "
          f"{statistics.median(g):.1f} GFLOP/s ({100 * statistics.median(g) / peak:.0f}% "
          f"of peak {peak:.0f}), LibTorch {statistics.median(tg):.1f} GFLOP/s")
PY
done
