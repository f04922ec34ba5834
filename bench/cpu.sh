#!/bin/sh
# Emitted CPU code versus LibTorch 1.13 eager forward (one thread), batch 1
# and 64, on N random candidates of NB201 and of FBNet (default 20 each).
# Writes bench/cpu-<space>.csv; the median of the latency ratios per batch
# size is printed. Usage: bench/cpu.sh [N] [REPEATS]
set -e
cd "$(dirname "$0")/.."
N=${1:-20}
R=${2:-10}
for space in nb201 fbnet; do
  OMP_NUM_THREADS=1 build/bin/nasc measure examples/$space.nas --sample "$N" \
    --seed 1 --batch 1,64 --repeats "$R" --torch --csv > bench/cpu-$space.csv
  python3 - "$space" bench/cpu-$space.csv <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[2])))
for b in ("1", "64"):
    r = [float(x["median_ms"]) / float(x["torch_median_ms"]) for x in rows if x["batch"] == b]
    g = [float(x["gflops"]) for x in rows if x["batch"] == b]
    print(f"{sys.argv[1]} batch {b}: {len(r)} candidates, median ratio "
          f"{statistics.median(r):.2f}, median {statistics.median(g):.1f} GFLOP/s")
PY
done
