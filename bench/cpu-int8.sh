#!/bin/sh
# int8 against float (issue 20): N random candidates of examples/mobile.nas
# (every layer at 8-bit activations, 4- or 8-bit weights) timed at batch 1,
# one thread pinned to core $NASC_BENCH_CORE (default 1), five ways in one
# run:
#   static      the integer network (--static-int8: int8 activations with
#               static scales, fixed-point requantization, VNNI's vpdpbusd)
#   static32    the same without dot products of bytes
#               (--mattr=-avx512vnni,-avxvnni; the same bits)
#   dynamic     the default int8 path (activations quantized at run time
#               with the batch's range, dequantized in float)
#   fakequant   the quantized network in float (--fake-quant, LibTorch's
#               fake quantization)
#   float       the candidate's float network, its bit widths ignored
#               (--float): the baseline
# Each way compiles all candidates, then times them round-robin ROUNDS
# times, keeping each one's fastest round (nasc measure --rounds). Writes
# bench/cpu-int8.csv and prints the median speed-ups over float.
# Usage: bench/cpu-int8.sh [N] [REPEATS] [ROUNDS]   (default 5 10 3)
set -e
cd "$(dirname "$0")/.."
N=${1:-5}
R=${2:-10}
K=${3:-3}
ONE="taskset -c ${NASC_BENCH_CORE:-1}"
command -v taskset > /dev/null || ONE=
NASC=${NASC:-$PWD/build/bin/nasc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
WAYS="static static32 dynamic fakequant float"
for way in $WAYS; do
  case $way in
    static) flags=--static-int8 ;;
    static32) flags="--static-int8 --mattr=-avx512vnni,-avxvnni" ;;
    dynamic) flags= ;;
    fakequant) flags=--fake-quant ;;
    float) flags=--float ;;
  esac
  $ONE "$NASC" measure examples/mobile.nas --sample "$N" --seed 7 \
    --batch 1 --repeats "$R" --rounds "$K" --csv $flags > "$TMP/$way.csv"
done
python3 - "$TMP" $WAYS <<'PY'
import csv, statistics, sys
tmp, ways = sys.argv[1], sys.argv[2:]
rows = {w: {r["encoding"]: float(r["median_ms"])
            for r in csv.DictReader(open(f"{tmp}/{w}.csv"))}
        for w in ways}
encodings = list(rows["float"])
with open("bench/cpu-int8.csv", "w") as out:
    out.write("candidate," + ",".join(f"{w}_ms" for w in ways) + "\n")
    for i, enc in enumerate(encodings):
        out.write(f"{i}," + ",".join(f"{rows[w][enc]:.3f}" for w in ways) + "\n")
        print(f"candidate {i}: " +
              ", ".join(f"{w} {rows[w][enc]:.2f} ms" for w in ways))
for w in ways:
    if w == "float":
        continue
    r = [rows["float"][e] / rows[w][e] for e in encodings]
    print(f"float / {w}: median {statistics.median(r):.2f}x "
          f"(min {min(r):.2f}, max {max(r):.2f})")
r = [rows["static32"][e] / rows["static"][e] for e in encodings]
print(f"static without / with dot products: median {statistics.median(r):.2f}x")
PY
echo "wall: $(( $(date +%s) - start )) s"
