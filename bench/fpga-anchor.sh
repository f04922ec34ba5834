#!/bin/sh
# nasc's designs of a published FINN network beside FINN's own figures
# (issue 16, "Against the anchors"): LFC-W1A2 (bench/anchors/lfc-w1a2.nas)
# for the xc7z020 of the PYNQ-Z1/Z2, as a dataflow chain (one engine per
# layer, as FINN builds it) and as one folded engine, with 64 lanes at
# most. Each design is simulated by Verilator (outputs checked bit for bit
# against the integer reference) and synthesized by Yosys (synth_xilinx
# -family xc7) through `nasc measure --target fpga`; writes
# bench/fpga-anchor.csv and prints each design's row beside FINN's.
# Usage: bench/fpga-anchor.sh   (about 7 minutes on this machine)
set -e
cd "$(dirname "$0")/.."
NASC=${NASC:-build/bin/nasc}
OUT=bench/fpga-anchor.csv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
for template in dataflow folded; do
  $NASC measure bench/anchors/lfc-w1a2.nas --target fpga --part xc7z020 \
    --template $template --pe 64 --sample 1 --csv > "$TMP/$template.csv"
done
{
  head -1 "$TMP/dataflow.csv"
  tail -n +2 "$TMP/dataflow.csv"
  tail -n +2 "$TMP/folded.csv"
} > "$OUT"
echo "2 designs in $(( $(date +%s) - start )) s"
python3 - "$OUT" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
# nasc measure counts RAMB18 halves (a RAMB36 is two); FINN's figure is
# 36 Kb tiles.
print("design,interval_cycles,latency_cycles,lut,ff,dsp,bram36")
# Xilinx/BNN-PYNQ bnn/src/network/lfcW1A2/README.md (Vivado 2018.2,
# PYNQ-Z1/Z2) and hw/config.h (each layer's cycles, "Ext Latency").
print("FINN LFC-W1A2 (published),512,,48981,45338,4,110")
for r in rows:
    print(f"nasc {r['template']} pe {r['pe']},{r['interval_cycles']},"
          f"{r['cycles']},{r['lut']},{r['ff']},{r['dsp']},"
          f"{float(r['bram']) / 2:g}")
PY
