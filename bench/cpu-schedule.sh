#!/bin/sh
# CPU schedule search by measurement (issue 17): for N random candidates of
# a spec, every schedule of the cpu tunables vector x tile_width x
# tile_channels x tile_reduction (2 x 2 x 3 x 2 = 24 measurements, within
# the issue's budget of 50) is compiled and timed on this machine (nasc
# measure, batch 1, median of --repeats), and the best is set beside the
# default schedule (this machine's vectors, tiles of 8 columns, 32
# channels and 8 input channels); then the tile model's ranking of the
# same schedules (bench/cpu_schedule_model.py).
# Usage: bench/cpu-schedule.sh [SPEC] [N]   (default examples/nb201.nas, 5)
# NASC selects the compiler (default build/bin/nasc); the timing runs on
# core NASC_BENCH_CORE (default 1), as bench/cpu.sh.
set -e
cd "$(dirname "$0")/.."
SPEC=${1:-examples/nb201.nas}
N=${2:-5}
NASC=${NASC:-build/bin/nasc}
CORE="taskset -c ${NASC_BENCH_CORE:-1}"
command -v taskset > /dev/null || CORE=
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The spec with a cpu target whose tunables are the schedule.
cp "$SPEC" "$TMP/spec.nas"
cat >> "$TMP/spec.nas" <<'NAS'
target sched : cpu {
  tunable vector = {"avx2", "avx512"};
  tunable tile_width = {8, 16};
  tunable tile_channels = {16, 32, 64};
  tunable tile_reduction = {8, 16};
}
NAS
$NASC "$SPEC" --emit=candidates --sample "$N" --seed 17 | tail -n +2 |
  cut -d, -f1 | tr -d '"' > "$TMP/encodings"
echo "candidate,default_ms,best_ms,speedup,best_schedule"
i=0
: > "$TMP/all.csv"
while read -r enc; do
  i=$((i + 1))
  # The 24 schedules of this architecture in one run: compiled first, then
  # timed round-robin (--rounds), each keeping its fastest round, so that a
  # slow phase of the machine does not favour one schedule.
  set --
  for v in avx2 avx512; do for w in 8 16; do for c in 16 32 64; do
    for r in 8 16; do
      set -- "$@" --candidate "$enc sched.tile_channels=$c sched.tile_reduction=$r sched.tile_width=$w sched.vector=$v"
    done
  done; done; done
  $CORE $NASC measure "$TMP/spec.nas" "$@" --rounds 3 --repeats 20 --csv > "$TMP/c$i.csv"
  /usr/bin/python3 - "$TMP/c$i.csv" "$i" "$TMP/all.csv" <<'PY'
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sched = lambda r: re.search(r"sched\..*", r["encoding"]).group(0)
default = next(r for r in rows if sched(r) ==
               "sched.tile_channels=32 sched.tile_reduction=8 sched.tile_width=8 "
               "sched.vector=avx512")
best = min(rows, key=lambda r: float(r["median_ms"]))
d, b = float(default["median_ms"]), float(best["median_ms"])
print(f"{sys.argv[2]},{d:.4f},{b:.4f},{d / b:.2f},{sched(best)}")
with open(sys.argv[3], "a") as out:
    for r in rows:
        out.write(f"{sys.argv[2]},{sched(r)},{r['median_ms']}\n")
PY
done < "$TMP/encodings"
cp "$TMP/all.csv" "bench/cpu-schedule-$(basename "$SPEC" .nas).csv"
# The tile model's view of the same grid (docs/costmodel.md, "Tiles"), and
# the default's share of this core's peak (bench/peak.c, on the same core).
cc -O2 -march=native bench/peak.c -o "$TMP/peak"
PEAK=$($CORE "$TMP/peak" | awk '{ if ($2 > p) p = $2 } END { print p }')
echo "model (peak $PEAK GFLOP/s):"
$CORE /usr/bin/python3 bench/cpu_schedule_model.py "$NASC" "$SPEC" \
  "bench/cpu-schedule-$(basename "$SPEC" .nas).csv" "$PEAK"
