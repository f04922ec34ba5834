# Sourced by the benchmarks against ONNX Runtime (bench/cpu-ort.sh,
# bench/cpu-ort-ops.sh): the peer's install, the core pinning and the
# build of one compiled network's timing program.
# ONE pins to core $NASC_BENCH_CORE (default 1), TWO to cores 0 and 1.
ONE="taskset -c ${NASC_BENCH_CORE:-1}"
TWO="taskset -c 0,1"
command -v taskset > /dev/null || { ONE=; TWO=; }
NASC=$PWD/build/bin/nasc
if [ ! -d bench/.ort/node_modules/onnxruntime-node ]; then
  npm install --silent --ignore-scripts --prefix bench/.ort onnxruntime-node@1.20.1
fi

# ort_build DIR ONNX: links bench/cpu_time.c against the object nasc
# --emit=cpu wrote to DIR (DIR/time) and sets DIMS to the ONNX model's
# input dimensions without the batch, as bench/ort_time.js takes them.
ort_build() {
  _name=$(basename "$1"/*.o .o)
  _upper=$(echo "$_name" | tr a-z A-Z)
  cc -O2 -DNAME="$_name" -DUNAME="$_upper" -include "$1/$_name.h" \
    bench/cpu_time.c "$1/$_name.o" -lm -pthread -o "$1/time"
  DIMS=$(/usr/bin/python3 -c "import onnx,sys; m=onnx.load(sys.argv[1]); print([d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim][1:])" "$2")
}

# ort_time PIN ONNX BATCH THREADS REPEATS WARMUP: ORT's median, min and
# peak RSS, as bench/cpu_time.c prints ours.
ort_time() {
  _pin=$1
  shift
  NODE_PATH=bench/.ort/node_modules $_pin node bench/ort_time.js "$1" "$DIMS" "$2" "$3" "$4" "$5"
}
