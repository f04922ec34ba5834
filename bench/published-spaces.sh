#!/usr/bin/env bash
# Published search spaces against their reference code (issue 15): for each
# of examples/fbnet.nas, examples/proxylessnas.nas and examples/ofa_mbv3.nas,
# N sampled candidates (`nasc --emit=candidates --sample N --seed S`) are
# rebuilt in PyTorch from the reference implementation's structure
# (bench/published_spaces.py; the code read is in bench/published-spaces.md)
# and their MACs and params, counted by NAS-Bench-201's rule, must equal
# nasc's for every candidate. The space sizes that `--emit=stats` prints must
# be the papers' counts: 9^22 (FBNet), 6^6 * 7^15 (ProxylessNAS: 6 MBConv
# candidates at the 6 shape-changing layers, 7 with zero at the other 15),
# ((3*3)^2 + (3*3)^3 + (3*3)^4)^5 * 25 (Once-for-All, 25 resolutions).
# Prints per space: candidates, equal MACs, equal params, the torch loop's
# time (building, forward pass, counting; one thread). Exits non-zero on any
# difference.
#
# Needs PyTorch for the system Python (benchmark only, not in
# scripts/install-deps.sh): apt-get install -y python3-torch
# Usage: bench/published-spaces.sh [N] [path/to/nasc]   (N default 1000,
#        about 8 minutes of torch on a 2-vCPU EPYC)
# Env: PYTHON (default /usr/bin/python3), SEED (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
nasc=${2:-build/bin/nasc}
python=${PYTHON:-/usr/bin/python3}
seed=${SEED:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$python" -c 'import torch' 2>/dev/null ||
  fail "no torch for $python (apt-get install -y python3-torch)"
echo "nasc: $nasc (built $(date -u -r "$nasc" '+%F %T UTC'); HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?'))" \
  "torch: $("$python" -c 'import torch; print(torch.__version__)')"

declare -A size=(
  [fbnet]=$("$python" -c 'print(9**22)')
  [proxylessnas]=$("$python" -c 'print(6**6 * 7**15)')
  [ofa_mbv3]=$("$python" -c 'print((9**2 + 9**3 + 9**4)**5 * 25)')
)

status=0
printf '%-14s %22s %11s %11s %11s %9s\n' space "space size" candidates \
  "equal MACs" "equal params" "torch (s)"
for space in fbnet proxylessnas ofa_mbv3; do
  spec=examples/$space.nas
  got=$("$nasc" "$spec" --emit=stats | sed -n 's/^space size: //p')
  if [ "$got" != "${size[$space]}" ]; then
    echo "FAIL: $spec: space size $got, the paper's is ${size[$space]}" >&2
    status=1
  fi
  "$nasc" "$spec" --emit=candidates --sample "$n" --seed "$seed" >"$tmp/$space.csv"
  rows=$(($(wc -l <"$tmp/$space.csv") - 1))
  [ "$rows" -ge "$n" ] || fail "$spec: sampling gave $rows candidates, not $n"
  if ! "$python" bench/published_spaces.py -q "$space" "$tmp/$space.csv" \
      2>"$tmp/$space.err"; then
    status=1
  fi
  # "SPACE: R candidates, equal macs M, equal params P, T s"
  read -r cands macs params secs < <(sed -n \
    's/^[a-z_0-9]*: \([0-9]*\) candidates, equal macs \([0-9]*\), equal params \([0-9]*\), \([0-9.]*\) s$/\1 \2 \3 \4/p' \
    "$tmp/$space.err") || fail "$space: $(cat "$tmp/$space.err")"
  printf '%-14s %22s %11s %11s %11s %9s\n' "$space" "$got" "$cands" "$macs" \
    "$params" "$secs"
  if [ "$cands" != "$macs" ] || [ "$cands" != "$params" ] ||
     [ "$cands" != "$rows" ]; then
    sed '1d' "$tmp/$space.err" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] || fail "nasc and the reference structure disagree (above)"
echo "agreement: MACs and params equal for every candidate of the three spaces"
