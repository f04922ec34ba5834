#!/bin/sh
# The FPGA backend on N random candidates of examples/fpga.nas, with 1 and
# 4 PE lanes: each design simulated by Verilator (outputs checked bit for
# bit against the integer reference: a difference stops the run),
# synthesized by Yosys for the iCE40 UP5K and placed by nextpnr-ice40.
# Writes bench/fpga.csv (nasc measure's CSV plus a `pe` column) and prints
# per lane count the median cycles, LUTs, DSPs, EBRs, Fmax and latency, and
# how many designs fit the part.
# Usage: bench/fpga.sh [N]   (default 8 candidates; about 30 s a design)
set -e
cd "$(dirname "$0")/.."
N=${1:-8}
OUT=bench/fpga.csv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
for pe in 1 4; do
  build/bin/nasc measure examples/fpga.nas --target fpga --template folded --pe $pe \
    --sample "$N" --seed 5 --csv > "$TMP/pe$pe.csv"
done
{
  head -1 "$TMP/pe1.csv" | sed 's/$/,pe/'
  for pe in 1 4; do tail -n +2 "$TMP/pe$pe.csv" | sed "s/\$/,$pe/"; done
} > "$OUT"
echo "$N candidates x 2 lane counts in $(( $(date +%s) - start )) s"
python3 - "$OUT" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for pe in ("1", "4"):
    sel = [r for r in rows if r["pe"] == pe]
    fit = [r for r in sel if r["fits"] == "yes"]
    med = lambda key, rs: statistics.median(float(r[key]) for r in rs)
    print(f"pe {pe}: {len(fit)} of {len(sel)} fit the UP5K; median cycles "
          f"{med('cycles', sel):.0f}, LUT4 {med('lut', sel):.0f}, "
          f"SB_MAC16 {med('dsp', sel):.0f}, EBR {med('bram', sel):.0f}"
          + (f", Fmax {med('fmax_mhz', fit):.1f} MHz, latency "
             f"{med('median_ms', fit):.2f} ms" if fit else ""))
PY
