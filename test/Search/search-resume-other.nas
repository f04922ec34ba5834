// --resume into a directory that holds a search of another spec (or other
// settings) is an error saying what it holds and how to start a new
// search; nothing in the directory changes.
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --objective min:params --budget 7 --out %t/dir --quiet > /dev/null
// RUN: %python %S/Inputs/snapshot.py %t/dir > %t/before
// RUN: not nasc search %nasc_src_root/examples/nb201.nas --objective min:flops --budget 5 --out %t/dir --resume 2>&1 | FileCheck %s
// CHECK:      nasc search: error: {{.*}}dir/trials.db holds no search of this spec and settings to resume; it holds:
// CHECK-NEXT:   spec fbnet ({{.*}}examples/fbnet.nas), pareto of min:flops, min:params, strategy gradient seed 0 (7 trials, started {{[0-9-]+ [0-9:]+}} UTC)
// CHECK-NEXT: nothing was changed; to start a new search use another --out, or remove {{.*}}dir
// RUN: %python %S/Inputs/snapshot.py %t/dir > %t/after
// RUN: diff %t/before %t/after
//
// The same spec with other settings (here the seed) is another search too.
// RUN: not nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --objective min:params --budget 7 --seed 9 --out %t/dir --resume 2>&1 | FileCheck %s --check-prefix=SEED
// SEED: holds no search of this spec and settings to resume
// RUN: %python %S/Inputs/snapshot.py %t/dir > %t/after
// RUN: diff %t/before %t/after
//
// Its own settings resume (all 7 trials from the store), and an empty
// directory starts a search.
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --objective min:params --budget 7 --out %t/dir --resume --quiet | FileCheck %s --check-prefix=SAME
// SAME: 7 trials (0 evaluated, 0 cached, 7 resumed)
// RUN: nasc search %nasc_src_root/examples/nb201.nas --objective min:flops --budget 5 --out %t/new --resume 2>&1 | FileCheck %s --check-prefix=NEW
// NEW: nasc search: nothing to resume in {{.*}}new/trials.db; starting
// NEW: search {{.*}}: 5 trials (5 evaluated
