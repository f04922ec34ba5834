#!/usr/bin/env bash
# Hardware cost models (issue #7) on this machine's CPU: the share of 200
# random NB201 candidates whose estimated latency is within ±10% of the
# measured latency of the native code nasc emits for them (batch 1, one
# thread), for each method:
#   analytical   the roofline of the host_cpu preset (peak and bandwidth
#                measured by nasc), uncalibrated;
#   scaled       the same roofline scaled by `nasc calibrate --method
#                analytical` on 50 other measured candidates;
#   predictor    `nasc calibrate --method predictor` on those 50;
#   lookup       a per-layer lookup table from `nasc measure --per-layer`
#                on those 50 candidates (each layer's median over them);
#   measured     a second measurement of the same 200 (the measurement's
#                own repeatability).
# Usage: bench/costmodel.sh [path/to/nasc] [test-count] [fit-count]
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-build/bin/nasc}
tests=${2:-200}
fits=${3:-50}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin="taskset -c 1"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); timings pinned to CPU 1"
echo "nasc: HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# NB201 with this machine's CPU declared as a target.
spec=$tmp/nb201_host.nas
cat examples/nb201.nas > "$spec"
printf '\ntarget host : cpu {\n  preset = host_cpu;\n}\n' >> "$spec"

# Measured latencies: the fitting set and the test set (other seeds).
$pin "$nasc" measure "$spec" --sample "$fits" --seed 11 --csv --repeats 15 > "$tmp/fit.csv"
$pin "$nasc" measure "$spec" --sample "$tests" --seed 12 --csv --repeats 15 > "$tmp/test.csv"
$pin "$nasc" measure "$spec" --sample "$tests" --seed 12 --csv --repeats 15 > "$tmp/again.csv"

# Per-layer lookup table from the fitting candidates.
"$python" -c "import csv,sys; [print(r['encoding']) for r in csv.DictReader(open(sys.argv[1]))]" "$tmp/fit.csv" > "$tmp/fit.txt"
: > "$tmp/layers.csv"
while IFS= read -r encoding; do
  $pin "$nasc" measure "$spec" --candidate "$encoding" --per-layer --csv --repeats 15 >> "$tmp/layers.csv"
done < "$tmp/fit.txt"
"$python" - "$tmp/layers.csv" > "$tmp/lut.csv" <<'PY'
import csv, statistics, sys
values = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if not line or line.startswith("key,"):
        continue
    key, ms = line.rsplit(",", 1)
    values.setdefault(key.strip('"'), []).append(float(ms))
print("key,latency_ms")
for key, v in values.items():
    print('"%s",%.6g' % (key, statistics.median(v)))
PY

"$nasc" calibrate "$spec" --target host --method analytical --measurements "$tmp/fit.csv" --out "$tmp/scaled.json" | sed 's/^/  /'
"$nasc" calibrate "$spec" --target host --method predictor --measurements "$tmp/fit.csv" --out "$tmp/predictor.json" | sed 's/^/  /'

"$python" -c "import csv,sys; [print(r['encoding']) for r in csv.DictReader(open(sys.argv[1]))]" "$tmp/test.csv" > "$tmp/test.txt"
"$nasc" "$spec" --emit=candidates --encodings "$tmp/test.txt" --target-costs > "$tmp/analytical.csv"
"$nasc" "$spec" --emit=candidates --encodings "$tmp/test.txt" --cost-model "$tmp/scaled.json" > "$tmp/scaled.csv"
"$nasc" "$spec" --emit=candidates --encodings "$tmp/test.txt" --cost-model "$tmp/predictor.json" > "$tmp/predictor.csv"
"$nasc" "$spec" --emit=candidates --encodings "$tmp/test.txt" --lookup-table "host=$tmp/lut.csv" > "$tmp/lookup.csv"

echo
echo "$tests test candidates (seed 12), fitted on $fits others (seed 11):"
"$python" - "$tmp" <<'PY'
import csv, sys
tmp = sys.argv[1]
measured = [float(r["median_ms"]) for r in csv.DictReader(open(tmp + "/test.csv"))]
again = [float(r["median_ms"]) for r in csv.DictReader(open(tmp + "/again.csv"))]
def share(est):
    ok = sum(abs(e - m) <= 0.10 * m for e, m in zip(est, measured))
    return ok / len(measured)
def mape(est):
    return 100 * sum(abs(e - m) / m for e, m in zip(est, measured)) / len(measured)
print("  %-11s %8s %8s" % ("method", "±10%", "MAPE"))
for name in ["analytical", "scaled", "predictor", "lookup"]:
    est = [float(r["latency_ms(host)"]) for r in csv.DictReader(open("%s/%s.csv" % (tmp, name)))]
    print("  %-11s %7.1f%% %7.1f%%" % (name, 100 * share(est), mape(est)))
print("  %-11s %7.1f%% %7.1f%%" % ("measured", 100 * share(again), mape(again)))
print("  measured latency: %.3f .. %.3f ms (median %.3f)" % (min(measured), max(measured), sorted(measured)[len(measured) // 2]))
PY
