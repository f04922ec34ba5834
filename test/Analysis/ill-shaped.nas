// A space with an ill-shaped candidate: its row is refused with an error at
// the layer and the candidate's encoding, and -o leaves no file behind.
// RUN: rm -f %t.csv
// RUN: not nasc %s --emit=candidates -o %t.csv 2>&1 | FileCheck %s
// RUN: not test -e %t.csv

dataset d { input = [3, 8, 8]; classes = 10; }
network n { conv(out = 16); residual { conv(out = {16, 24}); } fc(out = 10); }

// CHECK: ill-shaped.nas:[[@LINE-2]]:29: error: 'nas.residual' op identity shortcut adds its input of shape [16, 8, 8] to a body output of shape [24, 8, 8]
// CHECK: ill-shaped.nas:{{[0-9]+}}:1: error: candidate 'out=24' is ill-shaped (see above)
