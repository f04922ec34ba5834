#!/bin/sh
# nasc --emit=onnx checked by ONNX Runtime (issue 20): N random candidates
# of a spec, each exported as ONNX and compiled by --emit=cpu with the same
# seeded weights; ONNX Runtime 1.20 (npm onnxruntime-node, CPU) and the C
# code run main.c's input, and their logits are compared.
# Usage: bench/onnx-check.sh [SPEC] [N]   (default examples/nb201.nas, 10)
# ONNX Runtime goes to bench/.ort (npm install --ignore-scripts: its install
# script would only download a GPU build).
set -e
cd "$(dirname "$0")/.."
SPEC=${1:-examples/nb201.nas}
N=${2:-10}
NASC=$PWD/build/bin/nasc
if [ ! -d bench/.ort/node_modules/onnxruntime-node ]; then
  npm install --silent --ignore-scripts --prefix bench/.ort onnxruntime-node@1.20.1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
$NASC "$SPEC" --emit=candidates --sample "$N" --seed 11 | tail -n +2 |
  cut -d, -f1 | tr -d '"' > "$TMP/encodings"
worst=0
i=0
while read -r enc; do
  i=$((i + 1))
  $NASC "$SPEC" --candidate "$enc" --emit=onnx -o "$TMP/$i.onnx"
  $NASC "$SPEC" --candidate "$enc" --emit=cpu -o "$TMP/c$i"
  name=$(basename "$TMP/c$i"/*.o .o)
  cc "$TMP/c$i/main.c" "$TMP/c$i/$name.o" -lm -o "$TMP/c$i/run"
  "$TMP/c$i/run" 1 > "$TMP/cpu$i.txt"
  dims=$(/usr/bin/python3 -c "import onnx,sys; m=onnx.load(sys.argv[1]); print([1]+[d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim][1:])" "$TMP/$i.onnx")
  NODE_PATH=bench/.ort/node_modules node bench/ort_run.js "$TMP/$i.onnx" "$dims" > "$TMP/ort$i.txt"
  /usr/bin/python3 test/Target/ONNX/Inputs/compare_logits.py "$TMP/ort$i.txt" "$TMP/cpu$i.txt" | sed "s/^/candidate $i: /"
done < "$TMP/encodings"
