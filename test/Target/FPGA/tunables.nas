// An fpga target's tunable `pe` sets the folded engine's lanes for
// --emit=fpga (and nasc measure --target fpga, nasc search
// --measure-target): the candidate decides it with the architecture.
// --fpga-pe overrides it; a value the engine cannot build is an error at
// the alternative, when the spec is read (docs/language.md, "Tunables").
// RUN: split-file %s %t
// RUN: nasc %t/space.nas --emit=candidates | FileCheck %s --check-prefix=SPACE
// SPACE: out=8 ice.pe=4,
// RUN: nasc %t/space.nas --emit=fpga --candidate "out=8 ice.pe=4" -o %t/pe4
// RUN: FileCheck %s --check-prefix=PE4 < %t/pe4/design.txt
// PE4: lanes: 4
// PE4: conv 3x3: [1, 8, 8] -> [8, 8, 8], 8-bit levels, 8-bit weights, 4 lanes
// RUN: nasc %t/space.nas --emit=fpga --candidate "out=8 ice.pe=1" -o %t/pe1
// RUN: FileCheck %s --check-prefix=PE1 < %t/pe1/design.txt
// PE1: lanes: 1
// RUN: nasc %t/space.nas --emit=fpga --candidate "out=8 ice.pe=4" --fpga-pe 2 -o %t/pe2
// RUN: FileCheck %s --check-prefix=PE2 < %t/pe2/design.txt
// PE2: lanes: 2
// The tunables `template` and `stages` choose the dataflow chain.
// RUN: nasc %t/flow.nas --emit=fpga --candidate "ice.stages=2 ice.template=dataflow" -o %t/flow
// RUN: FileCheck %s --check-prefix=FLOW < %t/flow/design.txt
// FLOW: design: flow (dataflow template, part up5k)
// FLOW: engines: 2
// RUN: nasc %t/flow.nas --emit=fpga --candidate "ice.stages=2 ice.template=dataflow" --fpga-template folded -o %t/folded
// RUN: FileCheck %s --check-prefix=FOLDED < %t/folded/design.txt
// FOLDED: design: flow (folded template, part up5k)
// RUN: not nasc %t/flow.nas --emit=fpga --candidate "ice.stages=2 ice.template=dataflow" --fpga-template systolic -o %t/bad 2>&1 | FileCheck %s --check-prefix=BAD-TEMPLATE
// BAD-TEMPLATE: error: the fpga templates are folded and dataflow, not 'systolic'
// RUN: not nasc %t/bad-template.nas --emit=fpga -o %t/bad 2>&1 | FileCheck %s --check-prefix=BAD-TUNED
// BAD-TUNED: bad-template.nas:2:40: error: tunable 'template': alternative systolic must be one of folded, dataflow
// RUN: not nasc %t/bad.nas --emit=fpga --candidate "ice.pe=100" -o %t/bad 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not ls %t/bad
// BAD: bad.nas:2:34: error: tunable 'pe': alternative 100 must be an integer in 1..64

//--- space.nas
dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { frequency = 12 MHz; tunable pe = {1, 4}; }
network n on d {
  c: conv(out = {4, 8}, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
//--- bad.nas
dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { tunable pe = {100, 1}; }
network n on d { c: conv(out = 4, kernel = 3, wbits = 8, abits = 8); }
//--- flow.nas
dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { tunable template = {"folded", "dataflow"}; tunable stages = {2, 3}; }
network n on d {
  conv(out = 4, kernel = 3, wbits = 8, abits = 8) -> relu;
  conv(out = 4, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
//--- bad-template.nas
dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { tunable template = {"systolic"}; }
network n on d { c: conv(out = 4, kernel = 3, wbits = 8, abits = 8); }
