#!/bin/sh
# Weights at their width (docs/fpga.md, "Weight widths"): designs whose
# layers have binary, 2-bit or 4-bit weights beside the same networks with
# 8-bit weights, each simulated bit for bit by Verilator, synthesized by
# Yosys and (iCE40) placed by nextpnr: `nasc measure --target fpga --csv`
# rows, a label first.
# Usage: bench/fpga-widths.sh [NASC]
#   NASC: the nasc binary (default build/bin/nasc); an older build gives
#   the figures from before weights took their width.
set -e
cd "$(dirname "$0")/.."
NASC=${1:-build/bin/nasc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
BINARY=test/Target/FPGA/narrow-weights.nas
sed 's/wbits = 1/wbits = 8/' $BINARY > "$TMP/wide.nas"
# examples/fpga.nas with 2-bit weights but one 4-bit layer (lit
# simulate.nas's candidate a), and the same with 8-bit weights.
A="abits=4 out=4 wbits=2 conv abits=8 wbits=2 dw abits=8 wbits=2 abits=4 kernel=3 wbits=4 abits=8 wbits=2 up5k.pe=1 up5k.stages=2 up5k.template=folded"
A8=$(echo "$A" | sed 's/wbits=[0-9]/wbits=8/g')
header=
measure() {
  label=$1
  shift
  $NASC measure "$@" --target fpga --csv > "$TMP/row.csv"
  [ -n "$header" ] || { header=1; echo "design,$(head -1 "$TMP/row.csv")"; }
  tail -n +2 "$TMP/row.csv" | sed "s|^|$label,|"
}
for pe in 4 8; do
  measure "binary pe=$pe" $BINARY --sample 1 --pe $pe
  measure "8-bit pe=$pe" "$TMP/wide.nas" --sample 1 --pe $pe
done
measure "binary pe=8 xc7z020" $BINARY --sample 1 --pe 8 --part xc7z020
measure "8-bit pe=8 xc7z020" "$TMP/wide.nas" --sample 1 --pe 8 --part xc7z020
measure "fpga.nas 2/4-bit folded pe=4" examples/fpga.nas --candidate "$A" --pe 4
measure "fpga.nas 8-bit folded pe=4" examples/fpga.nas --candidate "$A8" --pe 4
measure "fpga.nas 2/4-bit dataflow pe=8" examples/fpga.nas --candidate "$A" \
  --template dataflow --stages 3 --pe 8
measure "fpga.nas 8-bit dataflow pe=8" examples/fpga.nas --candidate "$A8" \
  --template dataflow --stages 3 --pe 8
