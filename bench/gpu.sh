#!/bin/sh
# nasc's GPU code beside PyTorch on the same networks (issue 18), in two
# steps so that the GPU machine needs only cc, the NVIDIA driver and a CUDA
# build of PyTorch (no LLVM, no nasc build):
#
#   bench/gpu.sh prepare DIR [N_NB201] [N_FBNET]   # where nasc is built
#   bench/gpu.sh run DIR [REPEATS]                 # on the GPU machine
#
# prepare: N random candidates of NB201 (32x32) and FBNet (224x224), default
#   20 and 20, drawn with seed 1: nasc --emit=gpu (seeded weights) and
#   --emit=onnx of the same weights, converted for bench/onnx_torch.py.
# NASC_GPU_EMULATION=1 prepare and NASC_CUDA_LIBRARY=mock run check the
# script itself on a machine without a GPU (test/Target/GPU/Inputs).
# NASC_GPU_FLAGS adds nasc flags to prepare's --emit=gpu, for example
# "--gpu-thread-tile 4 --gpu-precision fp16" (docs/gpu.md, "Tunables");
# TOLERANCE sets run's check (default 1e-4; fp16 storage needs about 5e-3).
# run: for each network builds the emitted code with bench/gpu_time.c and
#   checks its outputs (batch 2, the fixed input) against PyTorch on the
#   CPU running the same ONNX graph (max |gpu - cpu| / max |cpu| <= TOLERANCE);
#   times ours (device buffers, CUDA graph replay, NAME_time) and PyTorch's
#   eager and CUDA-graph replay (fp32, cuDNN) at batch 1 and 256 (NB201) and
#   batch 1 (FBNet). Writes DIR/gpu.csv and prints the median ratios
#   ours / PyTorch graph, with the machine, driver and versions.
set -e
cd "$(dirname "$0")/.."
BENCH=$PWD/bench
step=$1
DIR=$2
[ -n "$step" ] && [ -n "$DIR" ] || { sed -n 2,18p "$0"; exit 2; }

if [ "$step" = prepare ]; then
  NASC=${NASC:-$PWD/build/bin/nasc}
  mkdir -p "$DIR"
  for space in nb201 fbnet; do
    n=${3:-20}
    [ $space = fbnet ] && n=${4:-20}
    [ "$n" -gt 0 ] || continue
    $NASC examples/$space.nas --emit=candidates --sample "$n" --seed 1 |
      tail -n +2 | cut -d, -f1 | tr -d '"' > "$DIR/$space.encodings"
    i=0
    while read -r enc; do
      i=$((i + 1))
      d=$DIR/$space$i
      $NASC examples/$space.nas --candidate "$enc" --emit=gpu -o "$d" \
        ${NASC_GPU_EMULATION:+--gpu-emulation} $NASC_GPU_FLAGS
      $NASC examples/$space.nas --candidate "$enc" --emit=onnx -o "$d/model.onnx"
      /usr/bin/python3 "$BENCH/onnx_torch.py" export "$d/model.onnx" "$d/model"
      rm "$d/model.onnx"
    done < "$DIR/$space.encodings"
  done
  cp "$BENCH/gpu_time.c" "$BENCH/onnx_torch.py" "$DIR/"
  echo "prepared $(ls -d "$DIR"/nb201* "$DIR"/fbnet* 2>/dev/null | grep -vc encodings) networks in $DIR"
  exit 0
fi

[ "$step" = run ] || { echo "bench/gpu.sh: unknown step '$step'" >&2; exit 2; }
R=${3:-50}
PY=${PYTHON:-python3}
OUT=$DIR/gpu.csv
{
  echo "# $(date -u +%F) $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1)"
  echo "# $($PY -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())')"
} | tee "$OUT.head"
echo "space,network,batch,max_rel_diff,ours_ms,torch_eager_ms,torch_graph_ms" > "$OUT"
# Without CUDA in PyTorch (or under the mock driver of the tests, with
# prepare's NASC_GPU_EMULATION=1 and NASC_CUDA_LIBRARY) only the outputs
# are checked and the peer is not timed.
cuda=
$PY -c 'import torch, sys; sys.exit(not torch.cuda.is_available())' 2> /dev/null && cuda=1
for d in "$DIR"/nb201* "$DIR"/fbnet*; do
  [ -d "$d" ] || continue
  case $(basename "$d") in nb201*) space=nb201 ;; *) space=fbnet ;; esac
  name=$(basename "$(ls "$d"/*.ptx)" .ptx)
  upper=$(echo "$name" | tr a-z A-Z)
  sed "s/NAME_U/$upper/g; s/NAME/$name/g" "$DIR/gpu_time.c" > "$d/time.c"
  emu=
  [ -f "$d/${name}_emu.o" ] && emu="$d/${name}_emu.o -rdynamic -lm"
  cc -O2 -I"$d" -o "$d/time" "$d/time.c" "$d/$name.c" "$d/nasc_network.c" \
    "$d/nasc_cuda.c" "$d/${name}_data.o" $emu -ldl
  "$d/time" outputs 2 > "$d/ours.txt"
  $PY "$DIR/onnx_torch.py" reference "$d/model" 2 > "$d/torch.txt"
  diff=$($PY -c "
import sys
a=[float(x) for x in open('$d/ours.txt')]; b=[float(x) for x in open('$d/torch.txt')]
assert len(a)==len(b), (len(a), len(b))
print('%.3g' % (max(abs(x-y) for x,y in zip(a,b)) / max(max(abs(y) for y in b), 1e-30)))")
  batches=1
  [ "$space" = nb201 ] && batches="1 256"
  for b in $batches; do
    ours=$("$d/time" time "$b" "$R")
    peer=nan,nan
    [ -n "$cuda" ] && peer=$($PY "$DIR/onnx_torch.py" time "$d/model" "$b" "$R")
    echo "$space,$(basename "$d"),$b,$diff,$ours,$peer" | tee -a "$OUT"
  done
done
$PY - "$OUT" <<'EOF'
import csv, os, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
groups = {}
for r in rows:
    groups.setdefault((r["space"], r["batch"]), []).append(r)
for (space, batch), rs in sorted(groups.items()):
    if any(r["torch_graph_ms"] == "nan" for r in rs):
        print(f"{space} batch {batch}: {len(rs)} networks, outputs checked, "
              "no CUDA PyTorch: not timed")
        continue
    graph = statistics.median(float(r["ours_ms"]) / float(r["torch_graph_ms"]) for r in rs)
    eager = statistics.median(float(r["ours_ms"]) / float(r["torch_eager_ms"]) for r in rs)
    worst = max(float(r["max_rel_diff"]) for r in rs)
    print(f"{space} batch {batch}: {len(rs)} networks, ours/torch-graph "
          f"median {graph:.2f}x, ours/eager {eager:.2f}x, "
          f"worst output difference {worst:.2g}")
tolerance = float(os.environ.get("TOLERANCE", "1e-4"))
bad = [r for r in rows if float(r["max_rel_diff"]) > tolerance]
sys.exit(1 if bad else 0)
EOF
