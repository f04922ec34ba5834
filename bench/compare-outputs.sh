#!/usr/bin/env bash
# Byte-for-byte comparison of two nasc builds' outputs (issue #14: a
# refactoring must not change them). Both builds write, for every example,
# the --emit=candidates table (all of NB201; 1,000 samples of the others,
# also 300 with --target-costs), --emit=stats, --emit=linalg and
# --emit=llvm of sampled candidates, and the outputs of cost-only searches
# at fixed seeds (trials.csv, pareto.csv, pareto.gp, best.mlir and
# summary.json, wall-clock fields and columns left out). Prints each
# difference and exits 1 if there is one.
# Usage: bench/compare-outputs.sh OLD_NASC NEW_NASC
set -uo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

outputs() { # nasc dir
  local n=$1 out=$2
  mkdir -p "$out"
  "$n" examples/nb201.nas --emit=candidates > "$out/nb201.csv" 2>&1
  "$n" examples/nb201.nas --emit=stats > "$out/nb201-stats.txt" 2>&1
  for s in fbnet mobile fashion; do
    "$n" examples/$s.nas --emit=candidates --sample 1000 --seed 1 > "$out/$s.csv" 2>&1
    "$n" examples/$s.nas --emit=candidates --sample 300 --seed 2 --target-costs > "$out/$s-targets.csv" 2>&1
    "$n" examples/$s.nas --emit=stats > "$out/$s-stats.txt" 2>&1
  done
  for s in nb201 fbnet mobile fashion; do
    local i=0
    tail -n +2 "$out/$s.csv" | awk 'NR % 97 == 1' | head -4 | cut -d, -f1 |
      while IFS= read -r enc; do
        "$n" examples/$s.nas --candidate="$enc" --emit=linalg > "$out/$s-$i.mlir" 2>&1
        "$n" examples/$s.nas --candidate="$enc" --emit=llvm > "$out/$s-$i.ll" 2>&1
        i=$((i + 1))
      done
  done
  "$n" search examples/nb201.nas --objective min:flops --objective min:params --constraint 'params<1M' --strategy grid --budget 15625 --out "$out/s-nb201" --quiet > "$out/s-nb201.txt" 2>&1
  "$n" search examples/fbnet.nas --objective min:flops --objective min:params --strategy nsga2 --budget 300 --seed 3 --out "$out/s-fbnet-nsga2" --quiet > "$out/s-fbnet-nsga2.txt" 2>&1
  "$n" search examples/fbnet.nas --objective min:params --strategy reinforce --budget 150 --seed 7 --jobs 2 --out "$out/s-fbnet-rl" --quiet > "$out/s-fbnet-rl.txt" 2>&1
  "$n" search examples/mobile.nas --objective min:bops --constraint 'latency(phone_cpu)<50ms' --strategy random --budget 150 --seed 9 --out "$out/s-mobile" --quiet > "$out/s-mobile.txt" 2>&1
  for d in "$out"/s-*/; do rm -f "$d"/trials.db "$d"/search.lock "$d"/*.png "$d"/*.svg; done
}

outputs "$old" "$tmp/old"
outputs "$new" "$tmp/new"
python3 - "$tmp/old" "$tmp/new" <<'PY'
import csv, json, os, sys
old, new = sys.argv[1], sys.argv[2]
TIMING = {'seconds', 'setup_seconds', 'loop_seconds', 'cpu_seconds', 'joules',
          'kwh', 'co2_grams', 'trials_per_second'}
def norm_csv(p):
    rows = list(csv.reader(open(p)))
    drop = {i for i, c in enumerate(rows[0]) if c == 'seconds'} if rows else set()
    return [[c for i, c in enumerate(r) if i not in drop] for r in rows]
def norm_json(p):
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in TIMING}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return strip(json.load(open(p)))
def norm_text(p, root):
    return [(l.split(' in ')[0] if l.startswith('search ') else l).replace(root, 'DIR')
            for l in open(p, errors='replace').read().split('\n')]
differences = 0
for base, _, files in os.walk(old):
    for f in sorted(files):
        a = os.path.join(base, f)
        b = os.path.join(new, os.path.relpath(a, old))
        if not os.path.exists(b):
            same = False
        elif os.path.basename(base).startswith('s-') and f.endswith('.csv'):
            same = norm_csv(a) == norm_csv(b)
        elif f.endswith('.json'):
            same = norm_json(a) == norm_json(b)
        elif f.startswith('s-') and f.endswith('.txt'):
            same = norm_text(a, old) == norm_text(b, new)
        else:
            same = open(a, 'rb').read() == open(b, 'rb').read()
        if not same:
            differences += 1
            print('differs:', os.path.relpath(a, old))
print('compared outputs; differences:', differences)
sys.exit(1 if differences else 0)
PY
