#!/usr/bin/env bash
# Candidate costs (issue #3): candidates analysed per second by
# `nasc --emit=candidates` (every metric: macs, flops, params, model_bytes,
# bops, activation_bytes, peak_memory_bytes), against NAS-Bench-201's own
# counting method, a PyTorch forward-hook counter (bench/torch_hook_counter.py)
# on the same candidates, in one run:
#   (a) nasc on the full NB201 space (15,625 candidates), median of 5;
#   (b) nasc on N sampled NB201 encodings (--sample N --seed 1) via
#       --encodings, median of 5;
#   (c) the torch hook counter on the same N encodings (one run);
#   (d) nasc on 100,000 FBNet samples (--sample 100000 --seed 1), median of 5.
# Every nasc figure is the whole process (start-up included, about 30 ms);
# the torch figure is its loop only (building, forward pass, counting;
# interpreter start-up and `import torch` excluded), which favours the peer.
# The torch counter's macs and params must equal nasc's for every shared
# candidate, and nasc's full-space bounds must be NAS-Bench-201's published
# ones; the script fails otherwise.
# Each timed command runs on one core (taskset -c CORE, default 1) and the
# peer on one thread.
#
# Needs PyTorch for the system Python (benchmark only, not in
# scripts/install-deps.sh): apt-get install -y python3-torch
# Usage: bench/costs.sh [N] [path/to/nasc]   (N default 2000, about 80 s of
#        torch on a 2-vCPU EPYC)
# Env: PYTHON (default /usr/bin/python3), CORE (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
nasc=${2:-build/bin/nasc}
python=${PYTHON:-/usr/bin/python3}
core=${CORE:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pin=()
if command -v taskset >/dev/null && taskset -c "$core" true 2>/dev/null; then
  pin=(taskset -c "$core")
else
  echo "note: taskset unavailable, not pinning" >&2
fi

now() { date +%s%N; }
# median_s OUT CMD...: runs CMD 5 times (stdout to OUT), prints the median
# wall time in seconds.
median_s() {
  local out=$1 times=() start end
  shift
  for _ in 1 2 3 4 5; do
    start=$(now)
    "${pin[@]}" "$@" >"$out"
    end=$(now)
    times+=($((end - start)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p |
    awk '{ printf "%.4f", $1 / 1e9 }'
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf (n / s < 100 ? "%.1f" : "%.0f"), n / s }'; }
fail() { echo "FAIL: $*" >&2; exit 1; }

"$python" -c 'import torch' 2>/dev/null ||
  fail "no torch for $python (apt-get install -y python3-torch)"

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); pinned: ${pin[*]:-no}"
echo "nasc: $nasc (built $(date -u -r "$nasc" '+%F %T UTC'); HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?'))" \
  "torch: $("$python" -c 'import torch; print(torch.__version__)')"

# Start-up alone: one candidate.
t_start=$(median_s "$tmp/one.csv" "$nasc" examples/nb201.nas --emit=candidates --limit 1)

# (a) The full NB201 space.
t_full=$(median_s "$tmp/full.csv" "$nasc" examples/nb201.nas --emit=candidates)
rows=$(($(wc -l <"$tmp/full.csv") - 1))
[ "$rows" -eq 15625 ] || fail "full NB201 space gave $rows rows, not 15625"
read -r min_macs max_macs min_params max_params < <(awk -F, 'NR > 1 {
    if (NR == 2 || $2 < a) a = $2; if (NR == 2 || $2 > b) b = $2;
    if (NR == 2 || $4 < c) c = $4; if (NR == 2 || $4 > d) d = $4 }
  END { print a, b, c, d }' "$tmp/full.csv")
[ "$min_macs $max_macs $min_params $max_params" = "7783050 220119690 73306 1531546" ] ||
  fail "NB201 bounds macs $min_macs..$max_macs params $min_params..$max_params" \
    "are not the published 7783050..220119690, 73306..1531546"

# (b) N sampled encodings, through --encodings.
"$nasc" examples/nb201.nas --emit=candidates --sample "$n" --seed 1 |
  tail -n +2 | cut -d, -f1 >"$tmp/nb201.txt"
[ "$(wc -l <"$tmp/nb201.txt")" -eq "$n" ] || fail "sampling gave no $n encodings"
distinct=$(sort -u "$tmp/nb201.txt" | wc -l)
t_enc=$(median_s "$tmp/enc.csv" "$nasc" examples/nb201.nas --emit=candidates \
  --encodings "$tmp/nb201.txt")

# (c) The torch hook counter on the same encodings.
start=$(now)
"${pin[@]}" "$python" bench/torch_hook_counter.py "$tmp/nb201.txt" \
  >"$tmp/torch.csv" 2>"$tmp/torch.err"
end=$(now)
t_torch_proc=$(awk -v d=$((end - start)) 'BEGIN { printf "%.3f", d / 1e9 }')
t_torch=$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' "$tmp/torch.err")
[ -n "$t_torch" ] || fail "torch counter: $(cat "$tmp/torch.err")"

# Agreement: macs and params of every shared candidate, row by row, and the
# --encodings rows against the full-space rows.
cut -d, -f1,2,4 "$tmp/enc.csv" >"$tmp/enc3.csv"
if ! diff -q "$tmp/enc3.csv" "$tmp/torch.csv" >/dev/null; then
  diff "$tmp/enc3.csv" "$tmp/torch.csv" | head -20 >&2 || true
  fail "torch hook counter and nasc disagree (first differences above)"
fi
awk -F, 'NR == FNR { full[$1] = $0; next }
  FNR > 1 && full[$1] != $0 { bad++ } END { exit bad > 0 }' \
  "$tmp/full.csv" "$tmp/enc.csv" ||
  fail "nasc --encodings rows differ from the full-space rows"
echo "agreement: macs and params equal for all $n candidates ($distinct distinct);" \
  "nasc bounds = NAS-Bench-201's published ones"

# (d) FBNet samples.
t_fb=$(median_s "$tmp/fbnet.csv" "$nasc" examples/fbnet.nas --emit=candidates \
  --sample 100000 --seed 1)
[ "$(($(wc -l <"$tmp/fbnet.csv") - 1))" -eq 100000 ] || fail "FBNet sampling"

echo
printf '%-44s %12s %10s %14s\n' measurement candidates "wall (s)" candidates/s
printf '%-44s %12s %10s %14s\n' "nasc start-up (NB201, --limit 1)" 1 "$t_start" -
printf '%-44s %12s %10s %14s\n' "(a) nasc NB201 full space" 15625 "$t_full" "$(rate 15625 "$t_full")"
printf '%-44s %12s %10s %14s\n' "(b) nasc NB201 --encodings" "$n" "$t_enc" "$(rate "$n" "$t_enc")"
printf '%-44s %12s %10s %14s\n' "(c) torch hook counter, loop" "$n" "$t_torch" "$(rate "$n" "$t_torch")"
printf '%-44s %12s %10s %14s\n' "(c) torch hook counter, whole process" "$n" "$t_torch_proc" "$(rate "$n" "$t_torch_proc")"
printf '%-44s %12s %10s %14s\n' "(d) nasc FBNet --sample 100000" 100000 "$t_fb" "$(rate 100000 "$t_fb")"
echo
awk -v e="$t_enc" -v t="$t_torch" -v f="$t_full" -v n="$n" 'BEGIN {
  printf "speed ratio nasc/torch, same %d candidates (nasc process vs torch loop): %.0fx\n", n, t / e
  printf "speed ratio nasc/torch, per candidate (nasc full space vs torch loop): %.0fx\n", (t / n) / (f / 15625) }'
