#!/usr/bin/env bash
# The weight-sharing supernet trained data-parallel over MPI ranks (issue
# 19, docs/distributed.md, "The supernet across ranks"). The space of
# examples/fashion.nas as a supernet, EPOCHS epochs on SHARE of
# Fashion-MNIST, batches of 64, one LibTorch thread per process, then 16
# random candidates scored. Three runs:
#   1 process, 1 shard   what one process trains by default
#   1 process, N shards  the computation N ranks share (micro-batches)
#   mpirun -np N         each rank its shard of every batch
# Prints each run's warm-up seconds (the supernet's last epoch line), its
# search loop seconds and total wall seconds, and whether the N-shard runs
# agree (epoch losses within 1e-3, accuracies within 0.01).
# Usage: bench/mpi-supernet.sh [path/to/nasc] [N] [EPOCHS] [SHARE]
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=$(realpath "${1:-build/bin/nasc}")
n=${2:-2}
epochs=${3:-2}
share=${4:-0.2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(examples/fashion.nas --strategy random --budget 16 --no-export
      --eval-method weight_sharing --epochs "$epochs" --proxy-fraction "$share"
      --train-threads 1)

run() { # NAME "LAUNCHER" OPTIONS...
  local name=$1 launcher=$2
  shift 2
  local begin end
  begin=$(date +%s.%N)
  $launcher "$nasc" search "${args[@]}" "$@" --out "$tmp/$name" > "$tmp/$name.out" 2> "$tmp/$name.log"
  end=$(date +%s.%N)
  local warm loop
  warm=$(grep -o 'supernet epoch [0-9]*/[0-9]*: .*, [0-9.]* s' "$tmp/$name.log" | tail -1 | awk '{print $(NF-1)}')
  loop=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['loop_seconds'])" "$tmp/$name/summary.json")
  awk -v name="$name" -v warm="$warm" -v loop="$loop" -v wall="$(echo "$end - $begin" | bc)" \
    'BEGIN { printf "%s,%.1f,%.1f,%.1f\n", name, warm, loop, wall }'
}

echo "run,warmup_seconds,loop_seconds,wall_seconds"
run one-1shard ""
run one-${n}shards "" --supernet-shards "$n"
run mpi-${n}ranks "mpirun --oversubscribe --allow-run-as-root -np $n"
python3 test/Search/Inputs/same_within.py losses "$tmp/one-${n}shards.log" "$tmp/mpi-${n}ranks.log" 1e-3
python3 test/Search/Inputs/same_within.py trials "$tmp/one-${n}shards/trials.csv" "$tmp/mpi-${n}ranks/trials.csv" 0.01
