#!/bin/sh
# int8 layers against float (issue 20): N random candidates of
# examples/mobile.nas (every layer at 8-bit activations, 4- or 8-bit
# weights) timed at batch 1, one thread pinned to core $NASC_BENCH_CORE
# (default 1), three ways in one run: int8 with this CPU's dot products of
# bytes (vpdpbusd, AVX-512 VNNI), int8 with 32-bit products
# (--mattr=-avx512vnni,-avxvnni), and the float computation of the same
# quantized network (--fake-quant, LibTorch's fake quantization). Each way
# compiles all candidates, then times them round-robin ROUNDS times,
# keeping each one's fastest round (nasc measure --rounds). Writes
# bench/cpu-int8.csv and prints the median ratios.
# Usage: bench/cpu-int8.sh [N] [REPEATS] [ROUNDS]   (default 5 10 3)
set -e
cd "$(dirname "$0")/.."
N=${1:-5}
R=${2:-10}
K=${3:-3}
ONE="taskset -c ${NASC_BENCH_CORE:-1}"
command -v taskset > /dev/null || ONE=
NASC=$PWD/build/bin/nasc
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
for way in dot int32 float; do
  case $way in
    dot) flags= ;;
    int32) flags=--mattr=-avx512vnni,-avxvnni ;;
    float) flags=--fake-quant ;;
  esac
  $ONE "$NASC" measure examples/mobile.nas --sample "$N" --seed 7 \
    --batch 1 --repeats "$R" --rounds "$K" --csv $flags > "$TMP/$way.csv"
done
python3 - "$TMP" <<'PY'
import csv, statistics, sys
tmp = sys.argv[1]
rows = {w: {r["encoding"]: float(r["median_ms"])
            for r in csv.DictReader(open(f"{tmp}/{w}.csv"))}
        for w in ("dot", "int32", "float")}
with open("bench/cpu-int8.csv", "w") as out:
    out.write("candidate,dot_ms,int32_ms,float_ms\n")
    for i, enc in enumerate(rows["dot"]):
        out.write(f"{i},{rows['dot'][enc]:.3f},{rows['int32'][enc]:.3f},"
                  f"{rows['float'][enc]:.3f}\n")
        print(f"candidate {i}: dot {rows['dot'][enc]:.2f} ms, int32 "
              f"{rows['int32'][enc]:.2f} ms, float {rows['float'][enc]:.2f} ms")
ratio = lambda a, b: statistics.median(rows[a][e] / rows[b][e] for e in rows["dot"])
print(f"median float / int8 with dot products: {ratio('float', 'dot'):.2f}x")
print(f"median float / int8 with 32-bit products: {ratio('float', 'int32'):.2f}x")
print(f"median 32-bit products / dot products: {ratio('int32', 'dot'):.2f}x")
PY
echo "wall: $(( $(date +%s) - start )) s"
