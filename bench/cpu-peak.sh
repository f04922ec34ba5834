#!/bin/sh
# The emitted code's largest layers against this core's peak (issue 20:
# >= 60% of the measured peak on the largest conv and fc layers). Times
# every layer of N random candidates of NB201 (32x32) and FBNet (224x224)
# alone (nasc measure --per-layer) at batch BATCH with one thread pinned
# to core $NASC_BENCH_CORE (default 1), and prints, per space, the conv
# and the fc with the most multiply-adds, with their GFLOP/s and share of
# the peak bench/peak.c measures on the same core (independent FMAs).
# Writes bench/cpu-peak.csv.
# Usage: bench/cpu-peak.sh [N] [BATCH] [REPEATS]   (default 3 64 5)
set -e
cd "$(dirname "$0")/.."
N=${1:-3}
B=${2:-64}
R=${3:-5}
CORE="taskset -c ${NASC_BENCH_CORE:-1}"
command -v taskset > /dev/null || CORE=
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
cc -O2 -march=native bench/peak.c -o "$TMP/peak"
$CORE "$TMP/peak" | tee "$TMP/peak.txt"
PEAK=$(awk '{ if ($2 > p) p = $2 } END { print p }' "$TMP/peak.txt")
for space in nb201 fbnet; do
  $CORE build/bin/nasc measure examples/$space.nas --sample "$N" --seed 1 \
    --per-layer --csv --batch "$B" --repeats "$R" > "$TMP/$space.csv"
done
python3 - "$TMP" "$PEAK" "$B" <<'PY'
import csv, re, sys
tmp, peak, batch = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
key = re.compile(r"(\w+) (\d+)x(\d+)x(\d+) (\d+)x(\d+)x(\d+) k(\d+) s(\d+) g(\d+) w(\d+)a(\d+)")
with open("bench/cpu-peak.csv", "w") as out:
    out.write("space,key,macs,latency_ms,gflops,peak_share\n")
    for space in ("nb201", "fbnet"):
        best = {}
        for row in csv.DictReader(open(f"{tmp}/{space}.csv")):
            m = key.fullmatch(row["key"])
            if not m:
                continue
            kind = m.group(1)
            ci, h, w, co, oh, ow, k, s, g = map(int, m.groups()[1:10])
            if kind == "conv":
                macs = co * oh * ow * (ci // g) * k * k
            elif kind == "fc":
                macs = ci * h * w * co
            else:
                continue
            ms = float(row["latency_ms"])
            gflops = 2 * macs * batch / (ms * 1e6)
            out.write(f"{space},{row['key']},{macs},{ms},{gflops:.1f},"
                      f"{gflops / peak:.3f}\n")
            if kind not in best or macs > best[kind][0]:
                best[kind] = (macs, row["key"], ms, gflops)
        for kind, (macs, k, ms, gflops) in sorted(best.items()):
            print(f"{space} largest {kind}: {k}, {macs / 1e6:.1f} M MACs a "
                  f"sample, {ms:.2f} ms at batch {batch}, {gflops:.1f} GFLOP/s, "
                  f"{100 * gflops / peak:.0f}% of peak {peak:.0f}")
PY
echo "wall: $(( $(date +%s) - start )) s"
