#!/usr/bin/env bash
# Search loop (issue #4): nasc search against Optuna (python3-optuna, in
# memory) on the same NAS-Bench-201-shaped table (utils/tables/
# nb201_synthetic.py: a synthetic accuracy and latency for all 15,625
# cells), in one run:
#   (a) trials per second of the loop: nasc random and nsga2 at 1k, 10k and
#       100k trials (the loop's own seconds from summary.json, and the whole
#       process), Optuna's RandomSampler and NSGAIISampler at 1k and 10k
#       (its optimize() call only);
#   (b) the hypervolume of the front found after 200, 500 and 1000
#       evaluations, as a share of the table's true front (accuracy
#       maximized, latency minimized), averaged over seeds 1..5 and again
#       over 6..10, for nasc random, evolution, nsga2, reinforce and Optuna
#       random, nsga2.
# Each command runs on one core (taskset -c CORE, default 1).
#
# Needs python3-optuna for the system Python (benchmark only):
#   apt-get install -y python3-optuna
# Usage: bench/search.sh [path/to/nasc]
# Env: PYTHON (default /usr/bin/python3), CORE (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-build/bin/nasc}
python=${PYTHON:-/usr/bin/python3}
core=${CORE:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin=()
if command -v taskset >/dev/null && taskset -c "$core" true 2>/dev/null; then
  pin=(taskset -c "$core")
fi
"$python" -c 'import optuna' 2>/dev/null ||
  { echo "FAIL: no optuna for $python (apt-get install -y python3-optuna)" >&2; exit 1; }

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); pinned: ${pin[*]:-no}"
echo "nasc: $nasc (HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?'));" \
  "optuna $("$python" -c 'import optuna; print(optuna.__version__)')"

"$nasc" examples/nb201.nas --emit=candidates |
  "$python" utils/tables/nb201_synthetic.py >"$tmp/table.csv"
objectives=(--objective max:accuracy --objective min:latency)
now() { date +%s%N; }
loop_seconds() { sed -n 's/^  "loop_seconds": \([0-9.e-]*\),$/\1/p' "$1/summary.json"; }

echo
echo "(a) trials per second"
printf '%-28s %9s %12s %12s %14s\n' search trials "loop (s)" trials/s "process (s)"
for strategy in random nsga2; do
  for n in 1000 10000 100000; do
    out="$tmp/rate-$strategy-$n"
    start=$(now)
    "${pin[@]}" "$nasc" search examples/nb201.nas --table "$tmp/table.csv" \
      "${objectives[@]}" --strategy "$strategy" --budget "$n" --seed 1 \
      --out "$out" --quiet >/dev/null
    end=$(now)
    s=$(loop_seconds "$out")
    awk -v name="nasc $strategy" -v n="$n" -v s="$s" -v p=$((end - start)) \
      'BEGIN { printf "%-28s %9d %12.4f %12.0f %14.3f\n", name, n, s, n / s, p / 1e9 }'
  done
done
for sampler in random nsga2; do
  for n in 1000 10000; do
    s=$("${pin[@]}" "$python" bench/optuna_search.py "$tmp/table.csv" "$sampler" "$n" 1 "$tmp/o.csv")
    awk -v name="optuna $sampler" -v n="$n" -v s="$s" \
      'BEGIN { printf "%-28s %9d %12.4f %12.0f %14s\n", name, n, s, n / s, "-" }'
  done
done

# hv SEEDS...: one line per searcher, the mean share over SEEDS.
hv() {
  for strategy in random evolution nsga2 reinforce; do
    files=()
    for seed in "$@"; do
      out="$tmp/hv-$strategy-$seed"
      "$nasc" search examples/nb201.nas --table "$tmp/table.csv" "${objectives[@]}" \
        --strategy "$strategy" --budget 1000 --seed "$seed" --out "$out" --quiet >/dev/null
      files+=("$out/trials.csv")
    done
    printf '%-20s %s\n' "nasc $strategy" "$("$python" bench/front_hypervolume.py "$tmp/table.csv" 200,500,1000 "${files[@]}")"
  done
  for sampler in random nsga2; do
    files=()
    for seed in "$@"; do
      "$python" bench/optuna_search.py "$tmp/table.csv" "$sampler" 1000 "$seed" "$tmp/o-$sampler-$seed.csv" >/dev/null
      files+=("$tmp/o-$sampler-$seed.csv")
    done
    printf '%-20s %s\n' "optuna $sampler" "$("$python" bench/front_hypervolume.py "$tmp/table.csv" 200,500,1000 "${files[@]}")"
  done
}
echo
echo "(b) hypervolume share of the true front after 200 / 500 / 1000 evaluations"
echo "seeds 1..5 (the seeds nasc's NSGA-II defaults were chosen on):"
hv 1 2 3 4 5
echo "seeds 6..10 (held out):"
hv 6 7 8 9 10
