// RUN: nasc %s --emit=stats | FileCheck %s

// The fold counts the candidates meeting the constraints pass by pass (one
// pass per input resolution here). A limit met at both of a pass's
// extremes holds for all its candidates, one met at neither for none; only
// the others are counted. The counts stay exact. By hand (macs = conv
// 27 * out * r^2 + fc out * 10 + 10; params = 27 out + 2 out + 10 out + 10):
//   r 8:  out 8, 16, 32: macs 13914, 27818, 55626     (all < 100000)
//   r 16: out 8, 16, 32: macs 55386, 110762, 221514   (one < 100000)
//   params 322, 634, 1258: all < 1 M; all > 300; none > 2000.

dataset d { input = [3, 8, 8]; classes = 10; resolution = {8, 16}; }
network n { conv(out = {8, 16, 32}) -> bn -> relu; global_avg_pool -> fc(out = classes); }
constraints { params < 1 M; macs < 100000; params > 300; }

// CHECK: space size: 6
// CHECK: macs: 13914 .. 221514
// CHECK: constraint params < 1 M: met by 6
// CHECK: constraint macs < 100000: met by 4
// CHECK: constraint params > 300: met by 6
// CHECK: feasible: 4 of 6
