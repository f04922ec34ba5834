// A choice combination that is ill-shaped is found while folding, without
// enumerating: the error is at the layer, with a note at every decision
// leading there and a candidate showing it. Nothing is printed on stdout.
// RUN: not nasc %s --emit=stats 2>&1 | FileCheck %s
// RUN: not nasc %s --emit=stats 2>/dev/null | count 0

dataset d { input = [3, 8, 8]; classes = 10; }
network n {
  conv(out = 16);
  repeat 30 { l: choose { k1: conv(kernel = 1); k3: conv(kernel = 3); } }
  width: choose { a: conv(out = 12); b: identity; }
  conv(out = 16, groups = {1, 8});
  global_avg_pool;
  fc(out = 10);
}

// CHECK:      fold-ill-shaped.nas:12:3: error: 'nas.conv' op groups 8 do not divide its 12 input channels
// CHECK:      fold-ill-shaped.nas:10:15: note: with 'repeat/l[0]' = k1
// CHECK:      fold-ill-shaped.nas:10:15: note: with 'repeat/l[29]' = k1
// CHECK:      fold-ill-shaped.nas:11:3: note: with 'width' = a
// CHECK:      fold-ill-shaped.nas:12:3: note: with 'conv.groups' = 8
// CHECK:      fold-ill-shaped.nas:1:1: note: for example in candidate 'k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 k1 a groups=8'
