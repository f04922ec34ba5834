// Every strategy on every kind of space, with the analytical evaluator:
// cells (NB201), layer-wise choices (FBNet), and a hierarchical space with
// searched repeats, blocks, cells, mixed precision and pruning (mobile).
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc search %nasc_src_root/examples/nb201.nas --objective min:params --objective max:macs --strategy random --budget 200 --out %t/a --quiet | FileCheck %s --check-prefix=RANDOM
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --constraint 'params<4M' --strategy evolution --budget 200 --out %t/b --quiet | FileCheck %s --check-prefix=EVOLUTION
// RUN: nasc search %nasc_src_root/examples/mobile.nas --objective min:bops --objective min:model_size --constraint 'params<10M' --strategy nsga2 --budget 200 --out %t/c --quiet | FileCheck %s --check-prefix=NSGA2
// RUN: nasc search %nasc_src_root/examples/mobile.nas --objective min:params --constraint 'memory<4MB' --strategy reinforce --budget 200 --out %t/d --quiet | FileCheck %s --check-prefix=REINFORCE
// RUN: nasc search %nasc_src_root/examples/mobile.nas --objective min:params --constraint 'bops>0' --strategy grid --budget 50 --out %t/e --quiet | FileCheck %s --check-prefix=GRID
// RANDOM: search random: 200 trials
// EVOLUTION: search evolution: 200 trials
// NSGA2: search nsga2: 200 trials
// REINFORCE: search reinforce: 200 trials
// GRID: search grid: 50 trials
// The chosen candidates are concrete specs.
// RUN: nasc %t/c/best.mlir --emit=stats | FileCheck %s --check-prefix=CONCRETE
// CONCRETE: space size: 1
//
// A time limit stops the search early and says so.
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --strategy random --budget 100000000 --time-limit 0.05 --out %t/time --quiet | FileCheck %s --check-prefix=TIME-OUT
// RUN: FileCheck %s --check-prefix=TIME --input-file=%t/time/summary.json
// TIME-OUT: search random: {{[0-9]+}} trials
// TIME: "timed_out": true,
//
// --resume of a finished search evaluates nothing again; with a larger
// budget it continues.
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --strategy nsga2 --budget 300 --out %t/r --quiet --resume | FileCheck %s --check-prefix=RESUME0
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --strategy nsga2 --budget 300 --out %t/r --quiet --resume | FileCheck %s --check-prefix=RESUME1
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --strategy nsga2 --budget 500 --out %t/r --quiet --resume | FileCheck %s --check-prefix=RESUME2
// RESUME0: search nsga2: 300 trials ({{[0-9]+}} evaluated, {{[0-9]+}} cached, 0 resumed)
// RESUME1: search nsga2: 300 trials (0 evaluated, 0 cached, 300 resumed)
// RESUME2: search nsga2: 500 trials ({{[0-9]+}} evaluated, {{[0-9]+}} cached, 300 resumed)
