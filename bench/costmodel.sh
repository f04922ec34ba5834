#!/usr/bin/env bash
# Hardware cost models (issue #7) on this machine's CPU: the share of 200
# random NB201 candidates whose estimated latency is within ±10% of the
# measured latency of the native code nasc emits for them (batch 1, one
# thread), for each method, fitted on 50 other measured candidates:
#   analytical     the roofline of the host_cpu preset (peak and bandwidth
#                  measured by nasc), uncalibrated, over the layers;
#   scaled         that roofline scaled by `nasc calibrate --method
#                  analytical`;
#   predictor      `nasc calibrate --method predictor` (ridge regression);
#   lookup_table   `nasc calibrate --method lookup_table`: one value per
#                  record key fitted to the whole networks;
#   graph          `nasc calibrate --method graph`: a graph network over
#                  the record graph;
#   per-layer LUT  a lookup table of layers timed alone (`nasc measure
#                  --per-layer` on 10 of the fitting candidates);
# each calibrated method over the layers of the cost analysis and over the
# kernels of the emitted code (--records).
#
# Measurement: all 250 candidates in one `nasc measure` session, compiled
# first, then timed round-robin (--rounds 15, 5 runs each), each keeping
# its round of lowest median: this machine (a shared 2-vCPU VM) has slow
# phases of several seconds (up to 1.3x), which single runs cannot avoid.
# NASC_BENCH_AGAIN=1 measures the test set once more, in another session
# (the measurement's own repeatability).
#
# Usage: bench/costmodel.sh [path/to/nasc] [test-count] [fit-count]
# NASC_BENCH_SPEC=FILE uses another space than examples/nb201.nas.
# NASC_BENCH_DIR=DIR keeps the measurements and models in DIR, and reuses
# DIR/all.csv when it is there (to re-run the fitting alone).
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-build/bin/nasc}
tests=${2:-200}
fits=${3:-50}
python=${PYTHON:-/usr/bin/python3}
if [ -n "${NASC_BENCH_DIR:-}" ]; then
  tmp=$NASC_BENCH_DIR
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
pin="taskset -c 1"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); timings pinned to CPU 1"
echo "nasc: HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# The space (NB201) with this machine's CPU declared as a target.
spec=$tmp/space_host.nas
cat "${NASC_BENCH_SPEC:-examples/nb201.nas}" > "$spec"
printf '\ntarget host : cpu {\n  preset = host_cpu;\n}\n' >> "$spec"

# Measured latencies, one session; the first $fits distinct candidates fit,
# the next $tests test.
if [ ! -s "$tmp/all.csv" ]; then
  $pin "$nasc" measure "$spec" --sample $((fits + tests + 10)) --seed 11 \
    --csv --rounds 15 --repeats 5 > "$tmp/all.csv"
fi
"$python" - "$tmp" "$fits" "$tests" <<'PY'
import csv, sys
tmp, fits, tests = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = list(csv.DictReader(open(tmp + "/all.csv")))
seen, unique = set(), []
for r in rows:
    if r["encoding"] not in seen:
        seen.add(r["encoding"])
        unique.append(r)
for name, part in (("fit", unique[:fits]), ("test", unique[fits:fits + tests])):
    with open("%s/%s.csv" % (tmp, name), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys())
        w.writeheader()
        w.writerows(part)
    with open("%s/%s.txt" % (tmp, name), "w") as f:
        f.writelines(r["encoding"] + "\n" for r in part)
PY
if [ "${NASC_BENCH_AGAIN:-0}" = 1 ] && [ ! -s "$tmp/again.csv" ]; then
  args=()
  while IFS= read -r encoding; do args+=(--candidate "$encoding"); done < "$tmp/test.txt"
  $pin "$nasc" measure "$spec" "${args[@]}" --csv --rounds 15 --repeats 5 > "$tmp/again.csv"
fi

# Per-layer lookup table from 10 of the fitting candidates.
if [ ! -s "$tmp/lut.csv" ]; then
  : > "$tmp/layers.csv"
  head -n 10 "$tmp/fit.txt" | while IFS= read -r encoding; do
    $pin "$nasc" measure "$spec" --candidate "$encoding" --per-layer --csv --repeats 15 >> "$tmp/layers.csv"
  done
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
fi

estimate() { # name, options...
  local name=$1
  shift
  "$nasc" "$spec" --emit=candidates --encodings "$tmp/test.txt" "$@" > "$tmp/$name.csv"
}
estimate analytical --target-costs
estimate per-layer-lut --lookup-table "host=$tmp/lut.csv"
for records in layers kernels; do
  for method in analytical predictor lookup_table graph; do
    "$nasc" calibrate "$spec" --target host --method $method --records $records \
      --measurements "$tmp/fit.csv" --out "$tmp/$method-$records.json" | sed -n 2p | sed 's/^/  /'
    estimate "$method-$records" --cost-model "$tmp/$method-$records.json"
  done
done

echo
echo "$tests test candidates, fitted on $fits others (one session, seed 11):"
"$python" - "$tmp" <<'PY'
import csv, os, sys
tmp = sys.argv[1]
measured = [float(r["median_ms"]) for r in csv.DictReader(open(tmp + "/test.csv"))]
def share(est, limit):
    return sum(abs(e - m) <= limit * m for e, m in zip(est, measured)) / len(measured)
def mape(est):
    return 100 * sum(abs(e - m) / m for e, m in zip(est, measured)) / len(measured)
print("  %-26s %7s %7s %7s" % ("method", "±10%", "±20%", "MAPE"))
names = ["analytical", "per-layer-lut"] + ["%s-%s" % (m, r) for r in ("layers", "kernels")
                                           for m in ("analytical", "predictor", "lookup_table", "graph")]
for name in names:
    est = [float(r["latency(host) [ms]"]) for r in csv.DictReader(open("%s/%s.csv" % (tmp, name)))]
    label = {"analytical": "analytical (uncalibrated)"}.get(name, name.replace("analytical-", "scaled-"))
    print("  %-26s %6.1f%% %6.1f%% %6.1f%%" % (label, 100 * share(est, 0.1), 100 * share(est, 0.2), mape(est)))
if os.path.exists(tmp + "/again.csv"):
    again = {r["encoding"]: float(r["median_ms"]) for r in csv.DictReader(open(tmp + "/again.csv"))}
    est = [again[r["encoding"]] for r in csv.DictReader(open(tmp + "/test.csv"))]
    print("  %-26s %6.1f%% %6.1f%% %6.1f%%" % ("measured again", 100 * share(est, 0.1), 100 * share(est, 0.2), mape(est)))
print("  measured latency: %.3f .. %.3f ms (median %.3f)" % (min(measured), max(measured), sorted(measured)[len(measured) // 2]))
PY
