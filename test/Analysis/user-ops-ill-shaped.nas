// RUN: rm -f %t.csv
// RUN: not nasc %s --emit=candidates -o %t.csv 2>&1 | FileCheck %s
// RUN: not test -e %t.csv
// RUN: not nasc %s --emit=stats 2>&1 | FileCheck %s --check-prefix=STATS

// An expression that is no integer for one choice is an error at the layer,
// naming the input it was evaluated with; the fold finds it without
// enumerating the space.

dataset d { input = [3, 8, 8]; classes = 10; }
op third() { conv(out = in / 3, kernel = 1); }
network n { conv(out = {12, 16}); third(); fc(out = 10); }

// CHECK: user-ops-ill-shaped.nas:[[@LINE-3]]:14: error: 'nas.conv' op 'out = in / 3' with in = 16 is 16/3, not an integer
// STATS: user-ops-ill-shaped.nas:[[@LINE-4]]:14: error: 'nas.conv' op 'out = in / 3' with in = 16 is 16/3, not an integer
