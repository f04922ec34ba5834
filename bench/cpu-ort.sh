#!/bin/sh
# Emitted CPU code versus ONNX Runtime 1.20 (npm onnxruntime-node, CPU), the
# peer of issue 20, in one run: N random candidates per space, exported by
# nasc --emit=onnx and compiled by --emit=cpu with the same seeded weights,
# timed at batch 1 and 64 with 1 thread (pinned to core $NASC_BENCH_CORE,
# default 1) and 2 threads (cores 0 and 1; ORT: 2 intra-op threads), with
# each process's peak resident set. NB201 at 32x32, FBNet at 224x224.
# Writes bench/cpu-ort.csv and prints, per space, batch and threads, the
# median latency ratio (ours / ORT), both sides' gain from 1 to 2 threads
# and the median peak RSS.
# Usage: bench/cpu-ort.sh [N_NB201] [N_FBNET] [REPEATS]   (default 20 20 5)
set -e
cd "$(dirname "$0")/.."
N_NB201=${1:-20}
N_FBNET=${2:-20}
R=${3:-5}
. bench/ort-common.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=bench/cpu-ort.csv
echo "space,candidate,batch,threads,ours_ms,ort_ms,ours_rss_kb,ort_rss_kb" > "$OUT"
start=$(date +%s)
for space in nb201 fbnet; do
  n=$N_NB201
  [ $space = fbnet ] && n=$N_FBNET
  [ "$n" -gt 0 ] || continue
  $NASC examples/$space.nas --emit=candidates --sample "$n" --seed 1 |
    tail -n +2 | cut -d, -f1 | tr -d '"' > "$TMP/encodings"
  i=0
  while read -r enc; do
    i=$((i + 1))
    d=$TMP/$space$i
    $NASC examples/$space.nas --candidate "$enc" --emit=onnx -o "$d.onnx"
    $NASC examples/$space.nas --candidate "$enc" --emit=cpu -o "$d"
    ort_build "$d" "$d.onnx"
    for batch in 1 64; do
      for threads in 1 2; do
        pin=$ONE
        [ $threads = 2 ] && pin=$TWO
        ours=$($pin "$d/time" $batch $threads "$R" 1)
        ort=$(ort_time "$pin" "$d.onnx" $batch $threads "$R" 1)
        echo "$space,$i,$batch,$threads,$(echo "$ours" | cut -d' ' -f1),$(echo "$ort" | cut -d' ' -f1),$(echo "$ours" | cut -d' ' -f3),$(echo "$ort" | cut -d' ' -f3)" >> "$OUT"
      done
    done
  done < "$TMP/encodings"
done
echo "run took $(( $(date +%s) - start )) s"
/usr/bin/python3 - "$OUT" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
med = statistics.median
for space in ("nb201", "fbnet"):
    for batch in ("1", "64"):
        sel = {t: [r for r in rows if r["space"] == space and r["batch"] == batch and r["threads"] == t] for t in ("1", "2")}
        if not sel["1"]:
            continue
        for t in ("1", "2"):
            r = [float(x["ours_ms"]) / float(x["ort_ms"]) for x in sel[t]]
            print(f"{space} batch {batch} threads {t}: {len(r)} candidates, ours/ORT median {med(r):.2f} "
                  f"(min {min(r):.2f}, max {max(r):.2f}), {sum(x <= 0.8 for x in r)} at <= 0.8; "
                  f"ours {med(float(x['ours_ms']) for x in sel[t]):.2f} ms, ORT {med(float(x['ort_ms']) for x in sel[t]):.2f} ms; "
                  f"peak RSS ours {med(int(x['ours_rss_kb']) for x in sel[t]) / 1024:.0f} MiB, ORT {med(int(x['ort_rss_kb']) for x in sel[t]) / 1024:.0f} MiB")
        gain = lambda key: med(float(a[key]) / float(b[key]) for a, b in zip(sel["1"], sel["2"]))
        print(f"{space} batch {batch}: 1 -> 2 threads, ours {gain('ours_ms'):.2f}x, ORT {gain('ort_ms'):.2f}x")
PY
