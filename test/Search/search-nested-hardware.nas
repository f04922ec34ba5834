// --hardware nested: the strategy proposes architectures, and each gets the
// tunables that suit it best, judged by the hardware metrics alone (the
// survey's co-exploration). Here every architecture's best design for
// cycles(ice) is the folded one with 4 lanes; with at most 5 DSPs it is
// the 1-lane one (the 4-lane design has 6). Without hardware metrics the
// proposals are kept as drawn.
// RUN: rm -rf %t
// RUN: nasc search %s --objective min:'cycles(ice)' --objective min:params --strategy random --budget 4 --hardware nested --out %t/fast --quiet
// RUN: FileCheck %s --check-prefix=FAST --input-file=%t/fast/trials.csv
// FAST: number,encoding,status,cycles(ice) [cycles],params [count]
// FAST-NEXT: 0,out=8 ice.pe=4 ice.template=folded,ok,11008,666,
// FAST-NEXT: 1,out=4 ice.pe=4 ice.template=folded,ok,5824,342,
// FAST-NEXT: 2,out=8 ice.pe=4 ice.template=folded,ok,11008,666,
// FAST-NEXT: 3,out=4 ice.pe=4 ice.template=folded,ok,5824,342,
//
// RUN: nasc search %s --objective min:'cycles(ice)' --objective min:params --constraint 'dsp(ice) <= 5' --strategy random --budget 2 --hardware nested --out %t/small --quiet
// RUN: FileCheck %s --check-prefix=SMALL --input-file=%t/small/trials.csv
// SMALL: 0,out=8 ice.pe=1 ice.template=folded,ok,42100,666,3,
// SMALL-NEXT: 1,out=4 ice.pe=1 ice.template=folded,ok,21364,342,3,
//
// The joint search draws the tunables with the rest.
// RUN: nasc search %s --objective min:'cycles(ice)' --objective min:params --strategy random --budget 4 --out %t/joint --quiet
// RUN: FileCheck %s --check-prefix=JOINT --input-file=%t/joint/trials.csv
// JOINT: ice.template=dataflow
//
// RUN: nasc search %s --objective min:params --strategy random --budget 2 --hardware nested --out %t/none --quiet
// RUN: FileCheck %s --check-prefix=NONE --input-file=%t/none/trials.csv
// NONE: 0,out=8 ice.pe=1 ice.template=dataflow,ok,666,
//
// RUN: not nasc search %s --objective min:params --hardware both --out %t/bad 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: nasc search: error: --hardware must be joint or nested, not 'both'

dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { frequency = 12 MHz; tunable pe = {1, 4}; tunable template = {"folded", "dataflow"}; }
network n on d {
  c: conv(out = {4, 8}, kernel = 3, wbits = 8, abits = 8) -> relu;
  conv(out = 8, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
