#!/bin/sh
# The FPGA resource model against synthesized designs (issue 17): measures
# N random designs of examples/fpga.nas per part (architecture, bit widths
# and the tunables template, pe and stages all drawn), each simulated bit
# for bit by Verilator and synthesized by Yosys (nextpnr on iCE40), into
# bench/fpga-calibration-PART.csv, then fits and scores the model on them:
# the uncalibrated model on every design, the calibrated one
# cross-validated (nasc calibrate).
# Usage: [NASC=path/to/nasc] bench/fpga-calibration.sh [N] [--reuse]
#   N: designs per part (default 30; 20 to 200 s a design on 2 cores)
#   --reuse: score the CSVs already there instead of measuring
set -e
cd "$(dirname "$0")/.."
N=${1:-30}
NASC=${NASC:-build/bin/nasc}
for part in xc7z020 up5k; do
  CSV=bench/fpga-calibration-$part.csv
  ROUND=${TMPDIR:-/tmp}/fpga-calibration-$part.round
  if [ "$2" != "--reuse" ]; then
    start=$(date +%s)
    # Two designs a round, each round its own seed: a CSV that grows row by
    # row survives an interrupted run.
    rm -f "$CSV"
    round=1
    while [ "$(($(wc -l < "$CSV" 2>/dev/null || echo 1) - 1))" -lt "$N" ]; do
      $NASC measure examples/fpga.nas --target fpga --part $part --sample 2 \
        --seed $((round * 7 + 100)) --csv > "$ROUND"
      [ -f "$CSV" ] || head -1 "$ROUND" > "$CSV"
      tail -n +2 "$ROUND" >> "$CSV"
      round=$((round + 1))
    done
    rm -f "$ROUND"
    echo "$part: $N designs measured in $(( $(date +%s) - start )) s"
  fi
  $NASC calibrate examples/fpga.nas --target fpga --measurements "$CSV" \
    --out "${TMPDIR:-/tmp}/fpga-model-$part.json"
done
