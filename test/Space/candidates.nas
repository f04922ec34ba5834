// Enumeration order, sampling, encodings and their errors.
// RUN: split-file %s %t
// The cost columns (2-8) are checked in test/Analysis; here the decisions.
// RUN: nasc %t/space.nas --emit=candidates | cut -d, -f1,9- | FileCheck %s --check-prefix=ALL
// RUN: nasc %t/space.nas --emit=candidates --limit=2 | cut -d, -f1,9- | FileCheck %s --check-prefix=LIMIT
// RUN: nasc %t/space.nas --emit=candidates --sample=5 --seed=3 > %t/a.csv
// RUN: nasc %t/space.nas --emit=candidates --sample=5 --seed=3 > %t/b.csv
// RUN: diff %t/a.csv %t/b.csv
// RUN: nasc %t/space.nas --emit=candidates --sample=5 --seed=4 > %t/c.csv
// RUN: not diff %t/a.csv %t/c.csv
// Samples are distinct (without replacement): 10 and 30 of the 48
// candidates are 10 and 30 different ones; 100 are all 48, in order.
// RUN: nasc %t/space.nas --emit=candidates --sample=10 --seed=1 | tail -n +2 | cut -d, -f1 | sort -u | count 10
// RUN: nasc %t/space.nas --emit=candidates --sample=30 --seed=1 | tail -n +2 | cut -d, -f1 | sort -u | count 30
// RUN: nasc %t/space.nas --emit=candidates --sample=100 > %t/all-sampled.csv
// RUN: nasc %t/space.nas --emit=candidates > %t/all.csv
// RUN: diff %t/all.csv %t/all-sampled.csv
// RUN: nasc %t/space.nas --emit=candidates --encodings=%t/good.txt | cut -d, -f1,9- | FileCheck %s --check-prefix=LISTED
// RUN: not nasc %t/space.nas --emit=candidates --encodings=%t/bad.txt 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not nasc %t/space.nas --emit=candidates --encodings=%t/short.txt 2>&1 | FileCheck %s --check-prefix=SHORT
// RUN: nasc %t/space.nas --emit=candidates --format=json --limit=1 | FileCheck %s --check-prefix=JSON
// RUN: not nasc %S/../../examples/fbnet.nas --emit=candidates 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: nasc %S/../../examples/nb201.nas --emit=candidates | count 15626

// Cells first (NAS-Bench-201 architecture strings), then the network in
// program order, the last decision varying fastest; a choose's nested
// decisions follow its option.
// ALL:      encoding,c/0->1,c/0->2,c/1->2,pick,pick/a/conv.kernel,act
// ALL-NEXT: |s~0|+|s~0|s~1| a kernel=3 relu,s,s,s,a,3,relu
// ALL-NEXT: |s~0|+|s~0|s~1| a kernel=3 tanh,s,s,s,a,3,tanh
// ALL-NEXT: |s~0|+|s~0|s~1| a kernel=5 relu,s,s,s,a,5,relu
// ALL-NEXT: |s~0|+|s~0|s~1| a kernel=5 tanh,s,s,s,a,5,tanh
// ALL-NEXT: |s~0|+|s~0|s~1| b relu,s,s,s,b,,relu
// ALL-NEXT: |s~0|+|s~0|s~1| b tanh,s,s,s,b,,tanh
// ALL-NEXT: |s~0|+|s~0|z~1| a kernel=3 relu,s,s,z,a,3,relu
// ALL:      |z~0|+|z~0|z~1| b tanh,z,z,z,b,,tanh
// ALL-NOT:  {{.}}

// LIMIT:      encoding,
// LIMIT-NEXT: |s~0|+|s~0|s~1| a kernel=3 relu,s,s,s,a,3,relu
// LIMIT-NEXT: |s~0|+|s~0|s~1| a kernel=3 tanh,s,s,s,a,3,tanh
// LIMIT-NOT:  {{.}}

// LISTED:      encoding,
// LISTED-NEXT: |z~0|+|s~0|z~1| b relu,z,s,z,b,,relu
// LISTED-NEXT: |s~0|+|s~0|s~1| a kernel=5 tanh,s,s,s,a,5,tanh
// LISTED-NOT:  {{.}}

// BAD: bad.txt:2:19: error: token 3 'kernel=7' is not an outcome of 'pick/a/conv.kernel' (expected one of kernel=3, kernel=5)
// SHORT: short.txt:1:16: error: missing token 2: expected a, b for 'pick'

// JSON:      "encoding": "|s~0|+|s~0|s~1| a kernel=3 relu",
// JSON-NEXT: "macs": {{[0-9]+}},
// JSON:      "peak_memory_bytes": {{[0-9]+}},
// JSON-NEXT: "decisions": {
// JSON-NEXT:   "c/0->1": "s",

// HUGE: error: the space has 984770902183611232881 candidates; choose some with --limit, --sample or --encodings

//--- space.nas
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 3) { edges all : { s: identity; z: zero; } }
network n {
  c;
  pick: choose { a: conv(kernel = {3, 5}); b: identity; }
  act: choose { relu: relu; tanh: tanh; }
  fc(out = 10);
}
//--- good.txt
|z~0|+|s~0|z~1| b relu

|s~0|+|s~0|s~1| a kernel=5 tanh
//--- bad.txt
|z~0|+|s~0|z~1| b relu
|s~0|+|s~0|s~1| a kernel=7 tanh
//--- short.txt
|s~0|+|s~0|s~1|
