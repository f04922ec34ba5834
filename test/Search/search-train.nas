// nasc search with real LibTorch training (a tiny budget: two candidates,
// 1% of Fashion-MNIST): it runs and records accuracies next to the costs.
// The numbers are not checked, only that they are there.
// RUN: rm -rf %t
// RUN: nasc search %nasc_src_root/examples/fashion.nas --budget 2 --proxy-fraction 0.01 --train-threads 1 --out %t --quiet | FileCheck %s
// RUN: FileCheck %s --check-prefix=TRIALS --input-file=%t/trials.csv
// RUN: FileCheck %s --check-prefix=FRONT --input-file=%t/pareto.csv
// CHECK: search nsga2: 2 trials (2 evaluated, 0 cached, 0 resumed)
// CHECK: accuracy = 0.{{[0-9]+}}
// CHECK: flops = {{[0-9.e+]+}}
// TRIALS:      number,encoding,status,accuracy [fraction],flops [FLOPs],seconds,cached,stage,message
// TRIALS-NEXT: 0,{{.*}},ok,0.{{[0-9]+}},{{[0-9]+}},
// TRIALS-NEXT: 1,{{.*}},ok,0.{{[0-9]+}},{{[0-9]+}},
// FRONT: encoding,accuracy [fraction],flops [FLOPs],number,best
//
// The chosen candidate, trained again, is exported as a LibTorch archive
// and as ONNX, which python3-onnx's checker accepts.
// RUN: %system_python -c "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m); print('onnx ok', m.opset_import[0].version, [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim], [d.dim_param or d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim])" %t/best.onnx | FileCheck %s --check-prefix=ONNX
// ONNX: onnx ok 14 ['N', 1, 28, 28] ['N', 10]
// RUN: %system_python -c "import os, sys; print('archive', os.path.getsize(sys.argv[1]) > 1000)" %t/best.pt | FileCheck %s --check-prefix=ARCHIVE
// ARCHIVE: archive True
//
// Zero-cost proxies score without training.
// RUN: nasc search %nasc_src_root/examples/fashion.nas --budget 3 --eval-method zero_cost --proxy naswot --out %t/zc --quiet | FileCheck %s --check-prefix=ZC
// ZC: search nsga2: 3 trials
// ZC: accuracy = {{-?[0-9.e+]+}}
//
// Bad settings are errors.
// RUN: not nasc search %nasc_src_root/examples/fashion.nas --budget 1 --proxy gradnorm --out %t/bad 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: nasc search: error: unknown zero-cost proxy 'gradnorm' (synflow, naswot)
// RUN: not nasc search %nasc_src_root/examples/fashion.nas --budget 1 --checkpoint %s --out %t/bad 2>&1 | FileCheck %s --check-prefix=CHECKPOINT
// CHECKPOINT: nasc search: error: {{.*}}search-train.nas: not a LibTorch archive
// A zero-cost search in the same directory leaves no stale exports.
// RUN: nasc search %nasc_src_root/examples/fashion.nas --budget 2 --eval-method zero_cost --out %t --quiet
// RUN: not ls %t/best.onnx
// RUN: not nasc search %nasc_src_root/examples/fashion.nas --budget 1 --data %t/nowhere --out %t/bad 2>&1 | FileCheck %s --check-prefix=NODATA
// NODATA: nasc search: error: {{.*}}nowhere/train-images-idx3-ubyte.gz: cannot open
