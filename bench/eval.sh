#!/usr/bin/env bash
# Accuracy evaluation (issue #5) on this machine, with real LibTorch
# training on Debian's Fashion-MNIST:
#   (a) the accuracy a plain 2-conv network (bench/plain2conv.nas) reaches
#       after 1 and 5 epochs on the full training set;
#   (b) every candidate of examples/fashion.nas (30) evaluated by each
#       method: full training (1 epoch, all 54,000 training images), the
#       proxy (1 epoch on a class-balanced 10%), zero-cost SynFlow and
#       NASWOT, weight sharing (one supernet trained 2 epochs on every
#       path, candidates scored with inherited weights); seconds per
#       candidate, and the Spearman rank correlation of
#       each cheap method with full training (validation accuracy); and the
#       accuracy predictor fitted to the fully trained candidates (its
#       5-fold cross-validated Spearman).
# SKIP_PLAIN=1 skips (a) (about 10 minutes).
# Usage: bench/eval.sh [path/to/nasc] [threads]   (about 30 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-build/bin/nasc}
threads=${2:-2}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); LibTorch threads: $threads"
echo "nasc: HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
# mean CSV COLUMN: the mean of a trials.csv column, named without its unit
# (`accuracy` for `accuracy [fraction]`); col CSV COLUMN: its first value.
rows='import csv,sys; rows=[{k.split(" [",1)[0]: v for k, v in r.items()} for r in csv.DictReader(open(sys.argv[1]))]'
mean() { "$python" -c "$rows; v=[float(r[sys.argv[2]]) for r in rows]; print(f'{sum(v)/len(v):.3f}')" "$1" "$2"; }
col() { "$python" -c "$rows; print(rows[0][sys.argv[2]])" "$1" "$2"; }

echo
echo "(a) plain 2-conv network, full training set"
plain_epochs="1 5"
if [ -n "${SKIP_PLAIN:-}" ]; then
  echo "  skipped (SKIP_PLAIN)"
  plain_epochs=""
fi
for epochs in $plain_epochs; do
  "$nasc" search bench/plain2conv.nas --strategy grid --budget 1 --epochs "$epochs" \
    --train-threads "$threads" --objective max:accuracy --objective max:test_accuracy \
    --objective min:train_seconds --out "$tmp/plain$epochs" --quiet >/dev/null
  echo "  $epochs epoch(s): validation accuracy $(col "$tmp/plain$epochs/trials.csv" accuracy)," \
    "test accuracy $(col "$tmp/plain$epochs/trials.csv" test_accuracy)," \
    "$(col "$tmp/plain$epochs/trials.csv" train_seconds) s"
done

echo
echo "(b) all 30 candidates of examples/fashion.nas"
run() { # NAME ARGS...
  local name=$1
  shift
  local start end
  start=$(date +%s%N)
  "$nasc" search examples/fashion.nas --strategy grid --budget 30 \
    --train-threads "$threads" --out "$tmp/$name" --quiet "$@" >/dev/null
  end=$(date +%s%N)
  awk -v n="$name" -v s=$((end - start)) 'BEGIN { printf "  %-10s %8.2f s per candidate (whole run / 30)\n", n, s / 1e9 / 30 }'
}
run full --proxy-fraction 1 --epochs 1 --objective max:accuracy --objective max:test_accuracy --objective min:train_seconds
run proxy --proxy-fraction 0.1 --epochs 1 --objective max:accuracy --objective min:train_seconds
run synflow --eval-method zero_cost --proxy synflow --objective max:accuracy
run naswot --eval-method zero_cost --proxy naswot --objective max:accuracy
run sharing --eval-method weight_sharing --epochs 2 --proxy-fraction 1 --objective max:accuracy
echo "  full training: mean validation accuracy $(mean "$tmp/full/trials.csv" accuracy)," \
  "mean test accuracy $(mean "$tmp/full/trials.csv" test_accuracy)"
# The predictor: fitted to the fully trained candidates, 5-fold CV.
"$nasc" search examples/fashion.nas --strategy grid --budget 1 \
  --eval-method predictor --predictor-data "$tmp/full/trials.csv" \
  --objective max:accuracy --out "$tmp/predictor" 2>&1 >/dev/null |
  sed -n 's/^predictor of accuracy: /  predictor: /p'
echo "Spearman rank correlation with full training (validation accuracy):"
for name in proxy synflow naswot sharing; do
  echo "  $name: $("$python" bench/spearman.py "$tmp/full/trials.csv" accuracy "$tmp/$name/trials.csv" accuracy)"
done
echo "  full training, validation vs test accuracy: $("$python" bench/spearman.py "$tmp/full/trials.csv" accuracy "$tmp/full/trials.csv" test_accuracy)"
