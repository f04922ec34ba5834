#!/usr/bin/env bash
# MPI scale-out (issue 19, docs/distributed.md): trials per second of a
# search in one process and under `mpirun -np N` (N-1 ranks evaluate), and
# the dispatch cost per trial the ranks report (a trial's round trip from
# rank 0 less its evaluation). Two searches:
#  1. table: a grid over NAS-Bench-201's 15,625 candidates with the
#     synthetic table, every trial a lookup of a few microseconds, so the
#     figures are MPI's own cost (median of 3 runs);
#  2. training: the 16 small convnets of bench/mpi-train.nas, one epoch on
#     5% of Fashion-MNIST, one LibTorch thread per rank (one run).
# Trials per second are of the search loop (summary.json's loop_seconds).
# Usage: bench/mpi.sh [path/to/nasc] [ranks...] (default ranks: 1 2 3)
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=$(realpath "${1:-build/bin/nasc}")
shift || true
ranks=("$@")
[ ${#ranks[@]} -gt 0 ] || ranks=(1 2 3)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$nasc" examples/nb201.nas --emit=candidates > "$tmp/candidates.csv"
python3 utils/tables/nb201_synthetic.py < "$tmp/candidates.csv" > "$tmp/table.csv"

# Prints "LOOP_SECONDS DISPATCH_US" of one search on N ranks.
search() { # N OUT ARGS...
  local n=$1 out=$2
  shift 2
  if [ "$n" -gt 1 ]; then
    mpirun --oversubscribe --allow-run-as-root -np "$n" "$nasc" search "$@" --out "$out" --quiet > "$out.txt"
  else
    "$nasc" search "$@" --out "$out" --quiet > "$out.txt"
  fi
  local loop dispatch
  loop=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['loop_seconds'])" "$out/summary.json")
  # The mean of the ranks' figures ("-" in one process).
  dispatch=$(awk '/ rank [0-9]+:/ {for (i = 1; i <= NF; ++i) if ($i == "dispatch") {s += $(i + 1); k++}} END {print k ? s / k : "-"}' "$out.txt")
  echo "$loop $dispatch"
}

row() { # N TRIALS "LOOP DISPATCH"
  local loop dispatch
  read -r loop dispatch <<< "$3"
  awk -v n="$1" -v t="$2" -v loop="$loop" -v d="$dispatch" 'BEGIN {
    printf "%d,%d,%d,%.3f,%.1f,%s\n", n, (n > 1 ? n - 1 : 1), t, loop, t / loop, d }'
}

echo "== table (median of 3)"
echo "ranks,evaluating,trials,loop_seconds,trials_per_s,dispatch_us_per_trial"
for n in "${ranks[@]}"; do
  runs=()
  for r in 1 2 3; do
    runs+=("$(search "$n" "$tmp/table$n-$r" examples/nb201.nas \
      --table "$tmp/table.csv" --objective max:accuracy --objective min:latency \
      --strategy grid --budget 15625)")
  done
  row "$n" 15625 "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)"
done

echo "== training"
echo "ranks,evaluating,trials,loop_seconds,trials_per_s,dispatch_us_per_trial"
for n in "${ranks[@]}"; do
  row "$n" 16 "$(search "$n" "$tmp/train$n" bench/mpi-train.nas --strategy grid \
    --budget 16 --no-export)"
done
