#!/usr/bin/env bash
# Few-shot latency models on synthetic devices (issue #21): for each device
# family of bench/latency_families.py, fit every `nasc calibrate` method
# (and `auto`, the one it keeps by cross-validation) to the measured latency
# of a few candidates and score its predictions on the rest (Spearman's rho,
# the share within +-10%, MAPE), next to the uncalibrated roofline of the
# device's datasheet figures.
#
#   NB201: 1% of the 15,625 cells measured (156), scored on the other 15,469;
#   FBNet: 100 of 1,100 sampled candidates measured, scored on the other 1,000.
#
# Then transfer (HELP-style, `--prior`): for each pair A:B of $PAIRS, the
# `auto` model of family A from the split above is the prior of family B
# measured on 20 candidates, scored on B's other candidates, next to B's 20
# alone. PAIRS= skips it.
#
# Usage: [PAIRS="a:b ..."] [SPACES="nb201 fbnet"] bench/latency-families.sh [path/to/nasc] [families...]
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-build/bin/nasc}
shift || true
families=${*:-launch small cliff fusion dead noise fusion_slow}
python=${PYTHON:-/usr/bin/python3}
gen=bench/latency_families.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p')"
echo "nasc: HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# The device as its datasheet gives it (the figures the roofline gets; the
# families' true device differs in the effects each adds).
device='target dev : gpu { peak_compute = 1.5 TFLOPS; bandwidth = 60 GB/s; overhead = 4 us; }'

run_space() {
  local name=$1 spec=$2 fits=$3 select=$4
  printf '\n%s\n' "$device" | cat "$spec" - > "$tmp/$name.nas"
  local start=$SECONDS
  # shellcheck disable=SC2086
  "$nasc" "$tmp/$name.nas" --emit=layers $select > "$tmp/$name.layers.csv"
  echo "$name: records of every candidate in $((SECONDS - start)) s"
  for family in $families; do
    "$python" $gen truth "$tmp/$name.layers.csv" "$family" 7 > "$tmp/truth.csv"
    "$python" $gen split "$tmp/truth.csv" "$fits" 11 "$tmp/fit.csv" "$tmp/test.txt"
    # Every candidate's predictions, once per model.
    "$nasc" "$tmp/$name.nas" --emit=candidates --encodings "$tmp/test.txt" \
      --target-costs > "$tmp/roofline.csv"
    printf '%s %-8s %-22s %s\n' "$name" "$family" "roofline (datasheet)" \
      "$("$python" $gen score "$tmp/truth.csv" "$tmp/test.txt" "$tmp/roofline.csv" 'latency(dev) [ms]')"
    for method in analytical predictor lookup_table graph auto; do
      if ! "$nasc" calibrate "$tmp/$name.nas" --target dev --method $method \
          --measurements "$tmp/fit.csv" --out "$tmp/$method.json" \
          > /dev/null 2> "$tmp/calibrate.log"; then
        printf '%s %-8s %-22s failed: %s\n' "$name" "$family" "$method" \
          "$(head -1 "$tmp/calibrate.log")"
        continue
      fi
      "$nasc" "$tmp/$name.nas" --emit=candidates --encodings "$tmp/test.txt" \
        --cost-model "$tmp/$method.json" > "$tmp/predicted.csv"
      printf '%s %-8s %-22s %s\n' "$name" "$family" "$method" \
        "$("$python" $gen score "$tmp/truth.csv" "$tmp/test.txt" "$tmp/predicted.csv" 'latency(dev) [ms]')"
    done
  done
  # Transfer: family A's model (`auto`, from the split above) as the prior
  # of family B measured on 20 candidates only, against B's 20 alone.
  for pair in $pairs; do
    local a=${pair%%:*} b=${pair##*:}
    "$python" $gen truth "$tmp/$name.layers.csv" "$a" 7 > "$tmp/truth.csv"
    "$python" $gen split "$tmp/truth.csv" "$fits" 11 "$tmp/fit.csv" "$tmp/test.txt"
    "$nasc" calibrate "$tmp/$name.nas" --target dev --measurements "$tmp/fit.csv" \
      --out "$tmp/prior.json" > /dev/null
    "$python" $gen truth "$tmp/$name.layers.csv" "$b" 7 > "$tmp/truth.csv"
    "$python" $gen split "$tmp/truth.csv" 20 13 "$tmp/fit.csv" "$tmp/test.txt"
    for prior in "" "$tmp/prior.json"; do
      "$nasc" calibrate "$tmp/$name.nas" --target dev --measurements "$tmp/fit.csv" \
        ${prior:+--prior "$prior"} --out "$tmp/model.json" > "$tmp/calibrate.log" 2>&1
      "$nasc" "$tmp/$name.nas" --emit=candidates --encodings "$tmp/test.txt" \
        --cost-model "$tmp/model.json" > "$tmp/predicted.csv"
      printf '%s %-8s %-22s %s\n' "$name" "$b (20)" \
        "auto${prior:+, prior $a ($fits)}" \
        "$("$python" $gen score "$tmp/truth.csv" "$tmp/test.txt" "$tmp/predicted.csv" 'latency(dev) [ms]')"
    done
  done
}

pairs=${PAIRS-fusion:fusion_slow launch:noise dead:fusion_slow}
echo "columns: space family method | Spearman, within +-10%, MAPE, test candidates"
for space in ${SPACES:-nb201 fbnet}; do
  case $space in
    nb201) run_space nb201 examples/nb201.nas 156 "" ;;
    fbnet) run_space fbnet examples/fbnet.nas 100 "--sample 1100 --seed 3" ;;
    *) echo "unknown space '$space' (SPACES: nb201 fbnet)" >&2; exit 2 ;;
  esac
done
