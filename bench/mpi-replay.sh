#!/usr/bin/env bash
# Simulated scale-out (issue 19, docs/distributed.md): does rank 0's
# dispatch keep up with many ranks? A search over NAS-Bench-201 with the
# synthetic table whose every lookup takes as long as its row's `seconds`
# (`--table-replay`: 20 to 80 ms, 50 ms on average, as an earlier search's
# evaluation times would), under `mpirun --oversubscribe -np N`: the
# evaluating ranks only sleep, so even 64 of them fit on two cores, and the
# figures are the coordinator's and MPI's own. Each run has 40 trials per
# evaluating rank, by random search (STRATEGY=evolution or nsga2 for
# another, and SETTINGS for its `search` settings, e.g.
# SETTINGS='population = 64; batch = 16;').
#
#   ideal trials/s = evaluating ranks / mean seconds per trial
#   efficiency     = trials/s of the search loop / ideal
#
# Usage: bench/mpi-replay.sh [path/to/nasc] [ranks...] (default 2 8 16 32 64)
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=$(realpath "${1:-build/bin/nasc}")
shift || true
ranks=("$@")
[ ${#ranks[@]} -gt 0 ] || ranks=(2 8 16 32 64)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(mpirun --version | head -1)"

sed "s/^  strategy = random;/  strategy = ${STRATEGY:-random}; ${SETTINGS:-}/" examples/nb201.nas > "$tmp/space.nas"
"$nasc" examples/nb201.nas --emit=candidates > "$tmp/candidates.csv"
python3 utils/tables/nb201_synthetic.py < "$tmp/candidates.csv" > "$tmp/synthetic.csv"
# A `seconds` column: 20 to 80 ms per candidate, fixed by its encoding.
python3 - "$tmp/synthetic.csv" > "$tmp/table.csv" <<'EOF'
import csv, hashlib, sys
rows = csv.reader(open(sys.argv[1]))
out = csv.writer(sys.stdout, lineterminator="\n")
header = next(rows)
out.writerow(header + ["seconds"])
for row in rows:
    h = int(hashlib.sha256(row[0].encode()).hexdigest()[:8], 16) / 2**32
    out.writerow(row + ["%.4f" % (0.02 + 0.06 * h)])
EOF

echo "ranks,evaluating,trials,loop_seconds,trials_per_s,ideal_trials_per_s,efficiency,dispatch_us_per_trial"
for n in "${ranks[@]}"; do
  evaluating=$((n - 1))
  trials=$((40 * evaluating))
  out="$tmp/replay$n"
  mpirun --oversubscribe --allow-run-as-root -np "$n" "$nasc" search "$tmp/space.nas" \
    --table "$tmp/table.csv" --table-replay --objective max:accuracy \
    --objective min:latency --budget "$trials" --seed 1 \
    --out "$out" --quiet > "$out.txt"
  loop=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['loop_seconds'])" "$out/summary.json")
  # The mean seconds of the trials run, from trials.csv.
  mean=$(python3 - "$out/trials.csv" "$tmp/table.csv" <<'EOF'
import csv, sys
seconds = {r["encoding"]: float(r["seconds"]) for r in csv.DictReader(open(sys.argv[2]))}
run = [seconds[r["encoding"]] for r in csv.DictReader(open(sys.argv[1]))]
print(sum(run) / len(run))
EOF
)
  dispatch=$(awk '/ rank [0-9]+:/ {for (i = 1; i <= NF; ++i) if ($i == "dispatch") {s += $(i + 1); k++}} END {print k ? s / k : "-"}' "$out.txt")
  awk -v n="$n" -v e="$evaluating" -v t="$trials" -v loop="$loop" -v mean="$mean" -v d="$dispatch" 'BEGIN {
    ideal = e / mean; rate = t / loop
    printf "%d,%d,%d,%.3f,%.1f,%.1f,%.2f,%s\n", n, e, t, loop, rate, ideal, rate / ideal, d }'
done
