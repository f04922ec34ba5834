#!/bin/sh
# CPU schedule search by measurement (issue 17): for N random candidates of
# a spec, every schedule of the cpu tunables vector x tile_width x
# tile_channels (2 x 3 x 3 = 18 measurements, within the issue's budget of
# 50) is compiled and timed on this machine (nasc measure, batch 1, median
# of --repeats), and the best is set beside the default schedule (this
# machine's vectors, tiles of 8 columns and 16 channels).
# Usage: bench/cpu-schedule.sh [SPEC] [N]   (default examples/nb201.nas, 5)
set -e
cd "$(dirname "$0")/.."
SPEC=${1:-examples/nb201.nas}
N=${2:-5}
NASC=build/bin/nasc
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The spec with a cpu target whose tunables are the schedule.
cp "$SPEC" "$TMP/spec.nas"
cat >> "$TMP/spec.nas" <<'NAS'
target sched : cpu {
  tunable vector = {"avx2", "avx512"};
  tunable tile_width = {4, 8, 16};
  tunable tile_channels = {8, 16, 32};
}
NAS
$NASC "$SPEC" --emit=candidates --sample "$N" --seed 17 | tail -n +2 |
  cut -d, -f1 | tr -d '"' > "$TMP/encodings"
echo "candidate,default_ms,best_ms,speedup,best_schedule"
i=0
while read -r enc; do
  i=$((i + 1))
  best=""; bestms=""
  for v in avx2 avx512; do for w in 4 8 16; do for c in 8 16 32; do
    s="sched.tile_channels=$c sched.tile_width=$w sched.vector=$v"
    ms=$($NASC measure "$TMP/spec.nas" --candidate "$enc $s" --repeats 30 \
      --csv | tail -1 | cut -d, -f3)
    echo "$i,$s,$ms" >> "$TMP/all.csv"
    if [ -z "$bestms" ] || awk "BEGIN{exit !($ms < $bestms)}"; then
      best=$s; bestms=$ms
    fi
  done; done; done
  default=$(grep "^$i,sched.tile_channels=16 sched.tile_width=8 sched.vector=avx512," "$TMP/all.csv" | cut -d, -f3)
  echo "$i,$default,$bestms,$(awk "BEGIN{printf \"%.2f\", $default / $bestms}"),$best"
done < "$TMP/encodings"
cp "$TMP/all.csv" bench/cpu-schedule-all.csv
