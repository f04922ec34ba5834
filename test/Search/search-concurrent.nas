// Two searches on one --out at once: the second stops at once, naming the
// directory and the process holding it; the first finishes untouched
// (docs/search.md, "The trial store").
// RUN: rm -rf %t
// RUN: %python %S/Inputs/concurrent_search.py %nasc_src_root/examples/fbnet.nas %t | FileCheck %s
// CHECK: second exit 1
// CHECK-NEXT: nasc search: error: OUT is in use by another nasc search (process FIRST_PID, lock OUT/search.lock); wait for it to finish, or use another --out
// CHECK-NEXT: first exit 0
// CHECK-NEXT: search nsga2: 3000 trials (
// CHECK-NEXT: stored trials 3000
// CHECK-NEXT: trials.csv rows 3000
//
// A store given with --db is held the same way, whatever the --out.
// RUN: nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --budget 5 --db %t/shared.db --out %t/b --quiet
// RUN: %python -c "import fcntl, subprocess, sys; f = open(sys.argv[1] + '.lock', 'r+'); fcntl.flock(f, fcntl.LOCK_EX); f.seek(0); f.truncate(); f.write('4242\n'); f.flush(); sys.exit(subprocess.run(sys.argv[2:]).returncode)" %t/shared.db not nasc search %nasc_src_root/examples/fbnet.nas --objective min:flops --budget 5 --db %t/shared.db --out %t/c --quiet 2>&1 | FileCheck %s --check-prefix=DB
// DB: nasc search: error: {{.*}}shared.db is in use by another nasc search (process 4242, lock {{.*}}shared.db.lock); wait for it to finish, or use another --db
