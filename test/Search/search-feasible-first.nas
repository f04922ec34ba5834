// Only what can be feasible is trained: a candidate whose analytical
// metrics already break a constraint is recorded as infeasible, with the
// constraint, and is not trained (its accuracy is empty). --train-infeasible
// trains it all the same. A resumed search keeps the record.
// RUN: rm -rf %t
// RUN: nasc search %nasc_src_root/examples/fashion.nas --strategy random --budget 6 --proxy-fraction 0.01 --epochs 1 --train-threads 1 --constraint 'flops<1M' --out %t/skip --quiet
// RUN: FileCheck %s --check-prefix=SKIP --input-file=%t/skip/trials.csv
// SKIP:      0,out=16 conv out=32 k5,infeasible,,12178646,{{.*}},violates flops < 1M; not trained (--train-infeasible trains it)
// SKIP-NEXT: 1,out=8 conv out=32 k3,infeasible,,4721238,{{.*}},violates flops < 1M; not trained
// SKIP-NEXT: 2,out=8 conv out=16 skip,ok,0.{{[0-9]+}},610726,
//
// RUN: nasc search %nasc_src_root/examples/fashion.nas --strategy random --budget 8 --proxy-fraction 0.01 --epochs 1 --train-threads 1 --constraint 'flops<1M' --out %t/skip --resume --quiet
// RUN: FileCheck %s --check-prefix=RESUMED --input-file=%t/skip/trials.csv
// RESUMED:      0,out=16 conv out=32 k5,infeasible,,12178646,{{.*}},violates flops < 1M; not trained
// RESUMED-NEXT: 1,out=8 conv out=32 k3,infeasible,,4721238,{{.*}},violates flops < 1M; not trained
//
// RUN: nasc search %nasc_src_root/examples/fashion.nas --strategy random --budget 2 --proxy-fraction 0.01 --epochs 1 --train-threads 1 --constraint 'flops<1M' --train-infeasible --out %t/all --quiet
// RUN: FileCheck %s --check-prefix=ALL --input-file=%t/all/trials.csv
// ALL-NOT: not trained
// ALL:      0,out=16 conv out=32 k5,infeasible,0.{{[0-9]+}},12178646,{{.*}},violates flops < 1M
// ALL-NEXT: 1,out=8 conv out=32 k3,infeasible,0.{{[0-9]+}},4721238,{{.*}},violates flops < 1M
// ALL-NOT: not trained
